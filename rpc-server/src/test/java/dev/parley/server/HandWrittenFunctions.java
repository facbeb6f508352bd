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
