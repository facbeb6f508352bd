package dev.parley.client.internal;

import java.io.IOException;

/**
 * Thrown by {@link ConnectionProbe} before a single byte of the request was written: the pooled
 * connection OkHttp picked turned out to be closed by the server. Because the request provably
 * never left the client, any call — idempotent or not — may be sent again on a new connection.
 * Parley's call paths catch exactly this type; it never reaches users (they see a
 * {@code TransportException} if the second attempt fails too).
 */
public final class RequestNotSentException extends IOException {
  private static final long serialVersionUID = 1L;

  public RequestNotSentException(String message) {
    super(message);
  }
}
