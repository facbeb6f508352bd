package dev.parley.server;

import dev.parley.crypto.CryptoException;
import java.util.Locale;

/**
 * Why an encrypting module refused a handshake message or a sealed frame, as a
 * {@link ServerListener} learns it and as the module's rate-limited INFO line names it
 * (docs/OPERATIONS.md "Logging"). Coarse on purpose: the client gets the same answer for every
 * reason (PROTOCOL.md §15.3), and no reason ever carries the bytes that were refused.
 */
public enum Rejection {
  /** The bytes do not parse: wrong length, wrong message or frame type, unknown version. */
  MALFORMED,
  /** The body is longer than any handshake message, or than the module's largest frame. */
  TOO_LARGE,
  /**
   * A tag or MAC did not verify: the bytes were changed on the way (tampered), or were made under
   * another key; for a handshake usually a client with another SecureKey, or one that names
   * another route.
   */
  AUTHENTICATION,
  /** A frame's counter was accepted before (or is older than the replay window), or a msg3 was sent twice. */
  REPLAYED,
  /** A handshake names a SecureKey id the module does not have (a rotation that is not finished). */
  UNKNOWN_KEY_ID,
  /** A handshake token is past its 30 s, or a session past its maximum age (answered the 410 reject). */
  EXPIRED,
  /** Version, suite or flags differ from what the module requires. */
  DOWNGRADE,
  /** The session reached a counter, epoch or byte limit and must handshake anew. */
  LIMIT,
  /**
   * A frame for a session this module does not hold (expired, evicted, or the server restarted):
   * answered HTTP 410, after which the client handshakes again. Expected after a restart.
   */
  UNKNOWN_SESSION,
  /** The {@code Parley-Session} header is missing, repeated, malformed or differs from the frame's session id. */
  SESSION_HEADER;

  /** The lower-case name, for example {@code unknown_session}: a metric tag value and what the log line says. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The rejection that a {@link CryptoException}'s reason stands for. */
  static Rejection of(CryptoException.Reason reason) {
    return switch (reason) {
      case MALFORMED -> MALFORMED;
      case AUTHENTICATION -> AUTHENTICATION;
      case REPLAY -> REPLAYED;
      case UNKNOWN_KEY_ID -> UNKNOWN_KEY_ID;
      case EXPIRED -> EXPIRED;
      case LIMIT -> LIMIT;
      case DOWNGRADE -> DOWNGRADE;
    };
  }
}
