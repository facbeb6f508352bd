package dev.parley.client;

import dev.parley.TransportException;

/**
 * A client module that does not encrypt ({@code encryptionKey} 0) called a server module that
 * requires encryption: the server answered HTTP 412. A Parley module that forces encryption runs
 * nothing for a plain call, but no key authenticates a 412 (anyone on the path can send one, also
 * after the call ran), so {@link #outcome()} is {@link dev.parley.CallOutcome#UNKNOWN}. Configure the
 * client with the server module's SecureKey (or {@code encryptionKey} and {@code allowUnauthenticated}
 * if the server runs without a SecureKey).
 *
 * <pre>{@code
 * ClientModule calc = ClientModule.builder(url).secureKeyFile(Path.of("calc.key")).build();
 * }</pre>
 */
public final class EncryptionRequiredException extends TransportException {
  private static final long serialVersionUID = 1L;

  EncryptionRequiredException(String message) {
    super(message, 412, null);
  }
}
