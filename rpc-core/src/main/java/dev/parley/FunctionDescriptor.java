package dev.parley;

import java.util.List;
import java.util.Objects;

/**
 * One remote function as a generated dispatcher describes it: its wire name, the names of the
 * parameters the client sends (in declaration order, without the injected {@link Session}), whether
 * it is idempotent, and whether its last parameter is a rest parameter (Java varargs: by position it
 * takes every param from its position on, so a positional call may send more params than there are
 * names).
 */
public record FunctionDescriptor(String name, List<String> params, boolean idempotent, boolean varargs) {
  public FunctionDescriptor {
    Objects.requireNonNull(name, "name == null");
    params = List.copyOf(params);
    if (varargs && params.isEmpty()) {
      throw new IllegalArgumentException("function " + name + " is varargs but has no parameter to take the rest");
    }
  }

  /** A function without a rest parameter. */
  public FunctionDescriptor(String name, List<String> params, boolean idempotent) {
    this(name, params, idempotent, false);
  }
}
