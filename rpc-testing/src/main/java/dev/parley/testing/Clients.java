package dev.parley.testing;

import dev.parley.client.ClientModule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The client modules a {@link ParleyServer} made for one scope (one test, or the test class), closed
 * together at its end. Parameters injected in one scope share one module per path, so an injected
 * stub and an injected {@code ClientModule} are one session. Thread-safe.
 */
final class Clients {
  private final List<ClientModule> made = new ArrayList<>();
  private final Map<String, ClientModule> injected = new HashMap<>();

  synchronized ClientModule track(ClientModule module) {
    made.add(module);
    return module;
  }

  /** The module injected for {@code path} in this scope, made by {@code make} (and tracked) the first time. */
  synchronized ClientModule injected(String path, Supplier<ClientModule> make) {
    return injected.computeIfAbsent(path, p -> track(make.get()));
  }

  /** Closes every module made in this scope; a failure to close one does not keep the others open. */
  void close() {
    List<ClientModule> all;
    synchronized (this) {
      all = List.copyOf(made);
      made.clear();
      injected.clear();
    }
    RuntimeException failure = null;
    for (ClientModule module : all) {
      try {
        module.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
