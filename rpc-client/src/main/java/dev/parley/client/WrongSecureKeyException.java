package dev.parley.client;

import dev.parley.CallOutcome;
import dev.parley.TransportException;

/**
 * The server module rejected this client's handshake (HTTP 403 to the first handshake message), or
 * the server's answer failed to authenticate: the SecureKey or its key id differs from the server
 * module's, one side has a SecureKey and the other has none, or the URL names another module (the
 * route is part of the handshake). Nothing ran. Not retried: fix the configuration.
 *
 * <pre>{@code
 * try {
 *   calc.call("add", Map.of("a", 1, "b", 2), Integer.class);
 * } catch (WrongSecureKeyException e) {
 *   log.error("calc: SecureKey or key id does not match the server's; check secureKeyFile");
 * }
 * }</pre>
 */
public final class WrongSecureKeyException extends TransportException {
  private static final long serialVersionUID = 1L;

  WrongSecureKeyException(String message, int httpStatus, Throwable cause) {
    super(message, httpStatus, CallOutcome.NOT_RUN, cause);
  }
}
