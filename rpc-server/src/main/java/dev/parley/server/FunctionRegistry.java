package dev.parley.server;

import dev.parley.FunctionDescriptor;
import dev.parley.RemoteFunctions;
import dev.parley.internal.jsonrpc.JsonRpc;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The functions of one module by wire name, built once; lookups are plain hash map reads. */
final class FunctionRegistry {
  /** One function and the group that runs it. */
  record Target(RemoteFunctions group, FunctionDescriptor descriptor) {}

  private final List<RemoteFunctions> groups;
  private final Map<String, Target> targets;

  FunctionRegistry(List<RemoteFunctions> groups) {
    this.groups = List.copyOf(groups);
    Map<String, Target> map = new HashMap<>();
    for (RemoteFunctions group : this.groups) {
      List<FunctionDescriptor> functions = group.functions();
      if (functions == null) {
        throw new IllegalArgumentException(group.serviceName() + ".functions() returned null");
      }
      for (FunctionDescriptor function : functions) {
        String name = function.name();
        if (name.isEmpty()) {
          throw new IllegalArgumentException(group.serviceName() + " declares a function with an empty name");
        }
        if (name.startsWith(JsonRpc.RESERVED_PREFIX)) {
          throw new IllegalArgumentException("function '" + name + "' of " + group.serviceName()
              + " uses the prefix 'rpc.', which JSON-RPC 2.0 reserves; rename it");
        }
        Target previous = map.putIfAbsent(name, new Target(group, function));
        if (previous != null) {
          throw new IllegalArgumentException("function '" + name + "' is declared by both "
              + previous.group().serviceName() + " and " + group.serviceName()
              + "; give one of them another name with @RemoteFunction(name = \"…\") or put them in different modules");
        }
      }
    }
    this.targets = Map.copyOf(map);
  }

  Target get(String name) {
    return targets.get(name);
  }

  List<RemoteFunctions> groups() {
    return groups;
  }
}
