package dev.parley.testing;

import dev.parley.RemoteFunction;
import dev.parley.Session;

/** The API the tests serve and call through the generated CounterClient. */
public interface Counter {
  @RemoteFunction int add(int a, int b);

  /** The calls of this function made in the caller's session so far, this one included. */
  @RemoteFunction int visits(Session session);

  /** When the caller's session was created, as ISO-8601 text. */
  @RemoteFunction String sessionCreatedAt(Session session);
}
