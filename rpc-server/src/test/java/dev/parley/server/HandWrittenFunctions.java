package dev.parley.server;

import dev.parley.Arguments;
import dev.parley.FunctionDescriptor;
import dev.parley.RemoteException;
import dev.parley.RemoteFunctions;
import dev.parley.Session;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link RemoteFunctions} group written by hand, standing in for a generated dispatcher. */
final class HandWrittenFunctions implements RemoteFunctions {
  /** One function body. */
  interface Body {
    Object call(Arguments args, Session session) throws Exception;
  }

  private final String serviceName;
  private final Map<String, Body> bodies = new LinkedHashMap<>();
  private final List<FunctionDescriptor> descriptors = new ArrayList<>();

  HandWrittenFunctions(String serviceName) {
    this.serviceName = serviceName;
  }

  HandWrittenFunctions fn(String name, List<String> params, Body body) {
    descriptors.add(new FunctionDescriptor(name, params, false));
    bodies.put(name, body);
    return this;
  }

  /** Adds {@code add(a, b)}: the sum of two ints, the function most of these tests call. */
  HandWrittenFunctions add() {
    return fn("add", List.of("a", "b"), (a, s) -> sum(a));
  }

  /** Adds {@code subtract(minuend, subtrahend)}, the function of the JSON-RPC 2.0 specification's examples. */
  HandWrittenFunctions subtract() {
    return fn("subtract", List.of("minuend", "subtrahend"),
        (a, s) -> a.<Integer>get(0, "minuend", int.class) - a.<Integer>get(1, "subtrahend", int.class));
  }

  /** Adds {@code logout()}: ends the caller's session and answers {@code answer}. */
  HandWrittenFunctions logout(Object answer) {
    return fn("logout", List.of(), (a, s) -> {
      s.invalidate();
      return answer;
    });
  }

  /** The ints {@code a} and {@code b} of an {@code add} call, added. */
  static int sum(Arguments args) {
    return args.<Integer>get(0, "a", Integer.class) + args.<Integer>get(1, "b", Integer.class);
  }

  @Override
  public String serviceName() {
    return serviceName;
  }

  @Override
  public List<FunctionDescriptor> functions() {
    return descriptors;
  }

  @Override
  public Object invoke(String function, Arguments args, Session session) throws Exception {
    Body body = bodies.get(function);
    if (body == null) {
      throw new RemoteException(RemoteException.METHOD_NOT_FOUND, "Method not found");
    }
    return body.call(args, session);
  }
}
