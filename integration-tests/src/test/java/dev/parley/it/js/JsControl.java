package dev.parley.it.js;

import dev.parley.RemoteFunction;

/** The test's own controls, called by the JavaScript scenarios on a plain module at {@code /control}. */
public interface JsControl {
  /** Moves the encrypted modules' session clock past {@code autoSessionsLive} and the retirement records. */
  @RemoteFunction
  void expireSessions();

  /** How many times {@code add} ran on the module at {@code path}. */
  @RemoteFunction(idempotent = true)
  long addRuns(String path);
}
