package dev.parley.crypto;

import java.util.Objects;

/**
 * Thrown for every rejected handshake message or data frame, and when a session may no longer
 * seal because it reached a limit.
 *
 * <p>The message is generic and safe to log ("handshake message rejected", "frame rejected"); it
 * never holds key material, and the {@link Reason} is deliberately coarse. What a caller does:
 *
 * <ul>
 *   <li>{@link Reason#LIMIT} or {@link Reason#EXPIRED} while sealing: run a new handshake, then
 *       seal again on the new session.
 *   <li>any other reason while opening: drop the frame (the server answers a generic 400, the
 *       client fails the call); the session itself stays usable.
 * </ul>
 *
 * <pre>{@code
 * try {
 *   Plaintext req = channel.openRequestInPlace(frame, 0, frame.length, "POST", "/calc");
 * } catch (CryptoException e) {
 *   if (e.reason() == CryptoException.Reason.REPLAY) metrics.replays++;
 *   return badRequest();
 * }
 * }</pre>
 */
public class CryptoException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why something was rejected, coarse on purpose. */
  public enum Reason {
    /** Wrong length, wrong type byte, unknown version: the bytes do not parse. */
    MALFORMED,
    /** A tag or MAC did not verify (tampering, wrong key, wrong associated data). */
    AUTHENTICATION,
    /** The counter was already accepted once, or is too old for the replay window. */
    REPLAY,
    /** The key id names no configured SecureKey. */
    UNKNOWN_KEY_ID,
    /** A token or session is past its age limit. */
    EXPIRED,
    /** A counter, epoch or byte limit is reached: the session must re-handshake. */
    LIMIT,
    /** Version, suite, flags or encryption mode differ from what this side requires. */
    DOWNGRADE
  }

  private final Reason reason;

  /**
   * @param reason the coarse reason, never null
   * @param message a generic message that holds no secret
   */
  public CryptoException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason == null");
  }

  /** The coarse reason of the rejection. */
  public Reason reason() {
    return reason;
  }
}
