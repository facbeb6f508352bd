package dev.parley.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.parley.RemoteException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** The functions behind {@link Calculator}; counts the calls it ran and keeps the logged messages. */
final class CalculatorImpl implements Calculator {
  final AtomicInteger calls = new AtomicInteger();
  final Queue<String> logged = new ConcurrentLinkedQueue<>();
  private final AtomicReference<CompletableFuture<String>> held = new AtomicReference<>(new CompletableFuture<>());

  @Override
  public int add(int a, int b) {
    calls.incrementAndGet();
    return a + b;
  }

  @Override
  public int divide(int a, int b) {
    calls.incrementAndGet();
    if (b == 0) {
      throw new RemoteException(DIVISION_BY_ZERO, "division by zero",
          JsonNodeFactory.instance.objectNode().put("dividend", a));
    }
    return a / b;
  }

  @Override
  public String echo(String text) {
    calls.incrementAndGet();
    return text;
  }

  @Override
  public long sum(List<Integer> numbers) {
    calls.incrementAndGet();
    return numbers.stream().mapToLong(Integer::longValue).sum();
  }

  @Override
  public List<Entry> table(int n) {
    calls.incrementAndGet();
    List<Entry> rows = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      rows.add(new Entry(n + " x " + i, (long) n * i));
    }
    return rows;
  }

  @Override
  public void log(String message) {
    calls.incrementAndGet();
    logged.add(message);
  }

  @Override
  public CompletableFuture<String> hold() {
    calls.incrementAndGet();
    return held.get();
  }

  /** Answers every held call, and holds the next ones again. */
  void release() {
    held.getAndSet(new CompletableFuture<>()).complete("released");
  }
}
