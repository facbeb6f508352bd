package dev.parley;

import java.util.List;
import java.util.Objects;

/**
 * One remote function as a generated dispatcher describes it: its wire name, the names of the
 * parameters the client sends (in declaration order, without the injected {@link Session}), and
 * whether it is idempotent.
 */
public record FunctionDescriptor(String name, List<String> params, boolean idempotent) {
  public FunctionDescriptor {
    Objects.requireNonNull(name, "name == null");
    params = List.copyOf(params);
  }
}
