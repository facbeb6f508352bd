package dev.parley.samples.calculator;

import dev.parley.Session;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** The server side of the sample: plain Java, no Parley types except the injected session. */
public final class CalculatorImpl implements Calculator {
  @Override
  public int add(int a, int b) {
    return Math.addExact(a, b);
  }

  @Override
  public int divide(int a, int b) {
    if (b == 0) {
      throw new DivisionByZeroException("division by zero", a);
    }
    return a / b;
  }

  @Override
  public int sum(int... numbers) {
    return Arrays.stream(numbers).sum();
  }

  @Override
  public CompletableFuture<Long> total(List<Integer> numbers) {
    return CompletableFuture.supplyAsync(
        () -> numbers.stream().mapToLong(Integer::longValue).sum());
  }

  @Override
  public List<Entry> table(int n) {
    return IntStream.rangeClosed(1, 10)
        .mapToObj(i -> new Entry(n + " x " + i, (long) n * i))
        .collect(Collectors.toList());
  }

  @Override
  public long accumulate(int value, Session session) {
    AtomicLong sum = (AtomicLong) session.attributes().computeIfAbsent("sum", k -> new AtomicLong());
    return sum.addAndGet(value);
  }
}
