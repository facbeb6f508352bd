package dev.parley.it.ping;

import dev.parley.RemoteFunction;

/** The smallest module for session tests. */
public interface Adder {
  @RemoteFunction int add(int a, int b);

  /** The implementation. */
  final class Impl implements Adder {
    @Override
    public int add(int a, int b) {
      return a + b;
    }
  }
}
