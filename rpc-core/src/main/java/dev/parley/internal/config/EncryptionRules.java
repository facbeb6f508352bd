package dev.parley.internal.config;

/**
 * The one rule set for the encryption settings of both sides, the client and the server module
 * ({@code encryptionKey}, {@code forceEncryption}, a SecureKey, {@code allowUnauthenticated};
 * docs/CONFIG.md "Encryption"): a SecureKey implies forcing and, unless set, {@code encryptionKey}
 * {@value #DEFAULT_ENCRYPTION_KEY}; forcing needs encryption; encryption without a SecureKey must be
 * opted into. It knows no key material: the builders say whether a SecureKey is set. Messages say
 * what to change and never show a secret.
 */
public final class EncryptionRules {
  /** The encryptionKey a SecureKey implies when encryptionKey is not set. */
  public static final int DEFAULT_ENCRYPTION_KEY = 32;

  /** What the settings come to: the contribution length, whether plain calls are refused, and no SecureKey. */
  public record Resolved(int encryptionKey, boolean forced, boolean unauthenticated) {}

  /** Which builder checks its settings: it names the alternative to encryption in messages. */
  public enum Side {
    CLIENT("call plain modules"),
    SERVER("serve plain calls");

    final String plainUse;

    Side(String plainUse) {
      this.plainUse = plainUse;
    }
  }

  private EncryptionRules() {}

  /**
   * Checks an {@code encryptionKey} value when it is set: 0, or {@link ConfigKeys#MIN_ENCRYPTION_KEY}
   * to {@link ConfigKeys#MAX_ENCRYPTION_KEY}.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static int checkEncryptionKey(int bytes) {
    if (bytes != 0 && (bytes < ConfigKeys.MIN_ENCRYPTION_KEY || bytes > ConfigKeys.MAX_ENCRYPTION_KEY)) {
      throw new IllegalArgumentException("encryptionKey must be 0 (no encryption) or 16 to 64, got " + bytes);
    }
    return bytes;
  }

  /**
   * Resolves one side's settings.
   *
   * @param prefix put before every message (a server names its module; a client gives "")
   * @param encryptionKey the value set, or null for the default
   * @param forceEncryption the value set, or null for the default
   * @param secureKey whether a (real) SecureKey is set
   * @throws IllegalArgumentException the settings do not fit together; the message says what to change
   */
  public static Resolved resolve(Side side, String prefix, Integer encryptionKey, Boolean forceEncryption,
      boolean secureKey, boolean allowUnauthenticated) {
    int bytes = encryptionKey != null ? encryptionKey : secureKey ? DEFAULT_ENCRYPTION_KEY : 0;
    if (secureKey && bytes == 0) {
      throw new IllegalArgumentException(prefix + "a secureKey needs encryption, but encryptionKey is 0: set"
          + " encryptionKey to 16..64 (32 is a good choice), or remove the SecureKey to " + side.plainUse);
    }
    if (secureKey && Boolean.FALSE.equals(forceEncryption)) {
      throw new IllegalArgumentException(prefix + "a SecureKey implies forceEncryption; remove forceEncryption(false)"
          + " (or remove the SecureKey to " + side.plainUse + ")");
    }
    boolean forced = secureKey || Boolean.TRUE.equals(forceEncryption);
    if (forced && bytes == 0) {
      throw new IllegalArgumentException(prefix + "forceEncryption needs encryption: set encryptionKey to 16..64"
          + " (32 is a good choice) and a SecureKey, or remove forceEncryption");
    }
    boolean unauthenticated = bytes > 0 && !secureKey;
    if (unauthenticated && !allowUnauthenticated) {
      throw new IllegalArgumentException(prefix + "encryptionKey " + bytes + " without a SecureKey would be"
          + " unauthenticated encryption (no protection against an active man in the middle); set secureKey or"
          + " secureKeyFile to the " + (side == Side.CLIENT ? "server module's key" : "key shared with the clients")
          + ", or opt in with allowUnauthenticated(true)");
    }
    return new Resolved(bytes, forced, unauthenticated);
  }
}
