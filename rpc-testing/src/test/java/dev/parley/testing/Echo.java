package dev.parley.testing;

import dev.parley.RemoteFunction;

/** A second API, for a server with two modules. */
public interface Echo {
  @RemoteFunction String echo(String text);
}
