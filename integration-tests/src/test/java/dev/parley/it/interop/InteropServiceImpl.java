package dev.parley.it.interop;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.parley.RemoteException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Counts what ran, so the test can assert the server-side effect of notifications. */
public final class InteropServiceImpl implements InteropService {
  final Queue<Integer> hellos = new ConcurrentLinkedQueue<>();

  @Override
  public int subtract(int minuend, int subtrahend) {
    return minuend - subtrahend;
  }

  @Override
  public int sum(int... numbers) {
    return java.util.Arrays.stream(numbers).sum();
  }

  @Override
  public String echo(String text) {
    return text;
  }

  @Override
  public void notifyHello(int value) {
    hellos.add(value);
  }

  @Override
  public JsonNode getData() {
    return JsonNodeFactory.instance.arrayNode().add("hello").add(5);
  }

  @Override
  public int fail(String reason) {
    throw new RemoteException(4001, "refused: " + reason,
        JsonNodeFactory.instance.objectNode().put("reason", reason));
  }

  @Override
  public int divide(int a, int b) {
    return a / b;
  }
}
