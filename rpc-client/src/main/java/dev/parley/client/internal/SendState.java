package dev.parley.client.internal;

/**
 * Whether OkHttp began writing one request: attached to the request as its tag, set by
 * {@link ConnectionProbe} right before the request goes to the connection. A request that failed
 * while this is still false never left the client (the connection was refused, could not be
 * opened, or was found closed), so its call provably did not run (docs/CLIENT.md, "Outcomes").
 */
public final class SendState {
  private volatile boolean writeStarted;

  /** Called by the network interceptor, once the connection is open and checked. */
  void writing() {
    writeStarted = true;
  }

  /** True once any byte of the request may have been written. */
  public boolean writeStarted() {
    return writeStarted;
  }
}
