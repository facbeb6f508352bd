package dev.parley.it.secure;

import dev.parley.RemoteFunction;

/** The remote API of the encrypted end-to-end tests, called through the generated CalculatorClient. */
public interface Calculator {
  /** Not idempotent: a call that ran twice would show in the invocation count. */
  @RemoteFunction int add(int a, int b);

  /** Idempotent: the client may send it again after an unauthenticated 410. */
  @RemoteFunction(idempotent = true) int square(int x);

  /** Returns {@code text} unchanged; large texts exercise compression and multi-chunk frames. */
  @RemoteFunction String echo(String text);

  /** Not idempotent, and recorded by id: a transfer that ran twice shows as a repeated id. */
  @RemoteFunction String transfer(String id);
}
