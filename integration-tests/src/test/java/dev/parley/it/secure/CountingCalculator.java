package dev.parley.it.secure;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The server side of {@link Calculator}: counts every invocation per function name. */
final class CountingCalculator implements Calculator {
  private final Map<String, AtomicInteger> invocations = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> transfers = new ConcurrentHashMap<>();

  @Override
  public int add(int a, int b) {
    ran("add");
    return a + b;
  }

  @Override
  public int square(int x) {
    ran("square");
    return x * x;
  }

  @Override
  public String echo(String text) {
    ran("echo");
    return text;
  }

  @Override
  public String transfer(String id) {
    ran("transfer");
    transfers.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
    return "done " + id;
  }

  /** How often the transfer {@code id} ran so far: the function's own record. */
  int transfers(String id) {
    AtomicInteger count = transfers.get(id);
    return count == null ? 0 : count.get();
  }

  /** How often {@code function} ran so far. */
  int invocations(String function) {
    AtomicInteger count = invocations.get(function);
    return count == null ? 0 : count.get();
  }

  /** How often any function ran so far. */
  int totalInvocations() {
    return invocations.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  private void ran(String function) {
    invocations.computeIfAbsent(function, k -> new AtomicInteger()).incrementAndGet();
  }
}
