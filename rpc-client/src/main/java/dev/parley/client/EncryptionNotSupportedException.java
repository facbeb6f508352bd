package dev.parley.client;

import dev.parley.CallOutcome;
import dev.parley.TransportException;

/**
 * The server did not answer the handshake as a Parley module that encrypts: a client that forces
 * encryption got HTTP 415 (the module does not encrypt), or any client got something other than a
 * valid handshake answer (another status, another content type, a malformed message) — for example
 * a proxy or another server at that URL. Nothing was sent in clear and nothing ran. A forcing client
 * never falls back to plain calls (PROTOCOL.md §9): enable encryption on the server module, or
 * check the URL.
 *
 * <pre>{@code
 * try {
 *   calc.call("add", Map.of("a", 1, "b", 2), Integer.class);
 * } catch (EncryptionNotSupportedException e) {
 *   log.error("calc does not encrypt; refusing to talk to it in clear");
 * }
 * }</pre>
 */
public final class EncryptionNotSupportedException extends TransportException {
  private static final long serialVersionUID = 1L;

  EncryptionNotSupportedException(String message, int httpStatus, Throwable cause) {
    super(message, httpStatus, CallOutcome.NOT_RUN, cause);
  }
}
