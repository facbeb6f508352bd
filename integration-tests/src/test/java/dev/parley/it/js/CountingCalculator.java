package dev.parley.it.js;

import dev.parley.Session;
import dev.parley.samples.calculator.Calculator;
import dev.parley.samples.calculator.CalculatorImpl;
import dev.parley.samples.calculator.DivisionByZeroException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/** The samples' calculator, counting how often {@code add} ran (to see a repost run it exactly once). */
final class CountingCalculator implements Calculator {
  private final Calculator calculator = new CalculatorImpl();
  final AtomicLong addRuns = new AtomicLong();

  @Override
  public int add(int a, int b) {
    addRuns.incrementAndGet();
    return calculator.add(a, b);
  }

  @Override
  public int divide(int a, int b) throws DivisionByZeroException {
    return calculator.divide(a, b);
  }

  @Override
  public int sum(int... numbers) {
    return calculator.sum(numbers);
  }

  @Override
  public CompletableFuture<Long> total(List<Integer> numbers) {
    return calculator.total(numbers);
  }

  @Override
  public List<Entry> table(int n) {
    return calculator.table(n);
  }

  @Override
  public long accumulate(int value, Session session) {
    return calculator.accumulate(value, session);
  }
}
