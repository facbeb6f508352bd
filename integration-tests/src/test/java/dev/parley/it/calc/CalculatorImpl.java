package dev.parley.it.calc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.RemoteException;
import dev.parley.Session;
import dev.parley.internal.Json;
import dev.parley.server.ServerModule;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** The server side of {@link Calculator}, with hooks the tests observe and control. */
public final class CalculatorImpl implements Calculator {
  private final Deque<Entry> history = new ConcurrentLinkedDeque<>();
  /** Messages received by {@link #log}. */
  final BlockingQueue<String> logged = new LinkedBlockingQueue<>();
  /** Counted down when a {@link #waitFor} call has arrived. */
  volatile CountDownLatch waiting = new CountDownLatch(1);
  /** {@link #waitFor} returns once this is counted down. */
  volatile CountDownLatch release = new CountDownLatch(1);

  /** A module serving this calculator at {@code /calc}, for a {@code ParleyServer}. */
  ServerModule.Builder module() {
    return ServerModule.builder("/calc").functions(new CalculatorFunctions(this));
  }

  @Override
  public int add(int a, int b) {
    int result = a + b;
    history.addFirst(new Entry("add", a, b, result));
    return result;
  }

  @Override
  public int divide(int a, int b) {
    if (b == 0) {
      ObjectNode data = Json.MAPPER.createObjectNode().put("dividend", a);
      throw new RemoteException(DIVISION_BY_ZERO, "division by zero", data);
    }
    return a / b;
  }

  @Override
  public List<Entry> history(int limit) {
    List<Entry> newest = new ArrayList<>();
    for (Entry entry : history) {
      if (newest.size() == limit) {
        break;
      }
      newest.add(entry);
    }
    return newest;
  }

  @Override
  public byte[] echoBytes(byte[] data) {
    return data;
  }

  @Override
  public Optional<String> echoOptional(Optional<String> value) {
    return value;
  }

  @Override
  public Unit echoUnit(Unit unit) {
    return unit;
  }

  @Override
  public Map<String, List<Integer>> echoMap(Map<String, List<Integer>> value) {
    return value;
  }

  @Override
  public int countCalls(Session session) {
    return session.attributes().computeIfAbsent("calls", k -> new AtomicInteger()) instanceof AtomicInteger calls
        ? calls.incrementAndGet() : -1;
  }

  @Override
  public CompletableFuture<Integer> squareLater(int x) {
    return CompletableFuture.supplyAsync(() -> x * x);
  }

  @Override
  public void log(String message) {
    logged.add(message);
  }

  @Override
  public String waitFor(String key) {
    waiting.countDown();
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return key;
  }

  @Override
  public int fail(String message) {
    throw new IllegalStateException(message);
  }
}
