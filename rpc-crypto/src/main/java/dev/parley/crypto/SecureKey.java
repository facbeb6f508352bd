package dev.parley.crypto;

import dev.parley.crypto.internal.Hkdf;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * The secret a client and a server module share, already turned into the Noise psk (PROTOCOL.md
 * §3). The raw key or password is not kept; {@link #toString()} never shows key
 * material; {@link #destroy()} zeroes what is held.
 *
 * <pre>{@code
 * SecureKey key = SecureKey.parse(System.getenv("PARLEY_SECURE_KEY"));   // ≥ 32 bytes, hex or base64
 * SecureKey next = SecureKey.parse(newKeyText).withKeyId(1);            // rotation
 * SecureKey typed = SecureKey.fromPassword(passwordChars, deploymentSalt); // explicit opt-in, weaker
 * SecureKey none = SecureKey.none();   // unauthenticated encryption, explicit opt-in (PROTOCOL.md §8)
 * }</pre>
 */
public final class SecureKey {
  /** Smallest accepted high-entropy key, in bytes. */
  public static final int MIN_KEY_BYTES = 32;
  /** Largest accepted high-entropy key, in bytes. */
  public static final int MAX_KEY_BYTES = 1024;
  /** Smallest accepted deployment salt for passwords, in bytes. */
  public static final int MIN_SALT_BYTES = 16;

  /** The warning both sides log once when {@link #none()} is in use (PROTOCOL.md §8). */
  public static final String UNAUTHENTICATED_WARNING =
      "Parley: encryption WITHOUT a SecureKey (Noise_NN) is enabled. Traffic is hidden from"
          + " eavesdroppers but NOT protected against an active man-in-the-middle, and any client"
          + " can open a session. Configure a SecureKey to authenticate both sides.";

  // PROTOCOL.md §3.2: RFC 9106 §4, second recommended option.
  static final int ARGON2_MEMORY_KIB = 65536;
  static final int ARGON2_ITERATIONS = 3;
  static final int ARGON2_LANES = 4;

  private static final byte[] SALT = ascii("parley v1 securekey");
  private static final byte[] PSK_LABEL = ascii("parley v1 psk");

  private final byte[] psk;        // null for none()
  private final int keyId;

  private SecureKey(byte[] psk, int keyId) {
    this.psk = psk;
    this.keyId = keyId;
  }

  /**
   * Parses a high-entropy key written as hex or base64 (PROTOCOL.md §3.1): surrounding whitespace
   * is ignored; all-hex text of even length is hex, anything else base64 (standard or URL-safe
   * alphabet, padding optional). The key id is 0.
   *
   * @throws IllegalArgumentException if the text is not hex or base64 or decodes to fewer than 32
   *     or more than 1024 bytes; the message never contains the text
   */
  public static SecureKey parse(String text) {
    Objects.requireNonNull(text, "text == null");
    byte[] key = decode(strip(text));
    try {
      return fromBytes(key);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /**
   * A high-entropy key given as raw bytes (32 to 1024 random bytes); the array is not kept. Key id 0.
   *
   * @throws IllegalArgumentException if the length is outside 32..1024
   */
  public static SecureKey fromBytes(byte[] key) {
    Objects.requireNonNull(key, "key == null");
    if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException("a SecureKey must be " + MIN_KEY_BYTES + " to " + MAX_KEY_BYTES
          + " random bytes, got " + key.length + " bytes; generate one with 32 bytes from a secure random source");
    }
    return fromPrk(Hkdf.extract(SALT, key), 0);  // PROTOCOL.md §3.1
  }

  /**
   * A key derived from a human password with Argon2id (64 MiB, 3 passes, 4 lanes; PROTOCOL.md §3.2).
   * Takes a noticeable fraction of a second. Explicit opt-in: a recorded msg1 allows an offline
   * dictionary attack on the password; prefer {@link #parse} with 32 random bytes. The password array
   * is not kept (the caller should zero it).
   *
   * @param deploymentSalt 16 to 1024 bytes, the same on every client and server of the deployment
   * @throws IllegalArgumentException if the password is empty or has unpaired surrogates, or the
   *     salt is too short or too long
   */
  public static SecureKey fromPassword(char[] password, byte[] deploymentSalt) {
    return fromPassword(password, deploymentSalt, ARGON2_MEMORY_KIB, ARGON2_ITERATIONS);
  }

  /**
   * TEST HOOK (PROTOCOL.md §3.2): the same as {@link #fromPassword(char[], byte[])} with lower
   * Argon2id cost so tests stay fast. Package-private on purpose; never for production keys.
   */
  static SecureKey fromPasswordWithTestCost(char[] password, byte[] deploymentSalt) {
    return fromPassword(password, deploymentSalt, 64, 1);
  }

  private static SecureKey fromPassword(char[] password, byte[] salt, int memoryKiB, int iterations) {
    Objects.requireNonNull(password, "password == null");
    Objects.requireNonNull(salt, "deploymentSalt == null");
    if (password.length == 0) {
      throw new IllegalArgumentException("the password is empty");
    }
    if (salt.length < MIN_SALT_BYTES || salt.length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException("the deployment salt must be " + MIN_SALT_BYTES + " to "
          + MAX_KEY_BYTES + " bytes, got " + salt.length);
    }
    byte[] pw = utf8(password);
    byte[] prk = new byte[32];
    try {
      Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
          .withVersion(Argon2Parameters.ARGON2_VERSION_13)
          .withSalt(salt)
          .withMemoryAsKB(memoryKiB)
          .withIterations(iterations)
          .withParallelism(ARGON2_LANES)
          .build();
      Argon2BytesGenerator generator = new Argon2BytesGenerator();
      generator.init(params);
      generator.generateBytes(pw, prk);
      return fromPrk(prk, 0);
    } finally {
      Arrays.fill(pw, (byte) 0);
    }
  }

  /**
   * No SecureKey: unauthenticated encryption (Noise_NN, PROTOCOL.md §8). Stops eavesdroppers, not
   * an active man in the middle; log {@link #UNAUTHENTICATED_WARNING} when you use it.
   */
  public static SecureKey none() {
    return new SecureKey(null, -1);  // PROTOCOL.md §3.4: no psk
  }

  // PROTOCOL.md §3: the psk from prk; prk is zeroed.
  private static SecureKey fromPrk(byte[] prk, int keyId) {
    try {
      return new SecureKey(Hkdf.expand(prk, PSK_LABEL, 32), keyId);
    } finally {
      Arrays.fill(prk, (byte) 0);
    }
  }

  /**
   * The same key under another key id (PROTOCOL.md §3.3), for rotation: a server may hold several
   * keys with distinct ids.
   *
   * @throws IllegalArgumentException if {@code keyId} is outside 0..255
   * @throws IllegalStateException on {@link #none()}, which has no key id
   */
  public SecureKey withKeyId(int keyId) {
    if (keyId < 0 || keyId > 255) {
      throw new IllegalArgumentException("the key id must be 0 to 255, got " + keyId);
    }
    if (isNone()) {
      throw new IllegalStateException("SecureKey.none() has no key id");
    }
    return new SecureKey(psk.clone(), keyId);
  }

  /** The key id, 0..255 (0 for {@link #none()}). */
  public int keyId() {
    return isNone() ? 0 : keyId;
  }

  /** True for {@link #none()}, the unauthenticated mode. */
  public boolean isNone() {
    return psk == null;
  }

  /** The Noise psk (PROTOCOL.md §3); the caller must not modify it. Null for {@link #none()}. */
  byte[] psk() {
    return psk;
  }

  /** Zeroes the psk; the key is unusable afterwards. */
  public void destroy() {
    if (psk != null) {
      Arrays.fill(psk, (byte) 0);
    }
  }

  /** Shows the key id only. */
  @Override
  public String toString() {
    return isNone() ? "SecureKey[none]" : "SecureKey[keyId=" + keyId + "]";
  }

  private static String strip(String text) {
    int start = 0;
    int end = text.length();
    while (start < end && isSpace(text.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(start, end);
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  // PROTOCOL.md §3.1 rules 2 and 3.
  private static byte[] decode(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("the SecureKey is empty; give 32 or more random bytes as hex"
          + " or base64, or use SecureKey.none() to opt in to unauthenticated encryption");
    }
    if (text.length() % 2 == 0 && text.chars().allMatch(SecureKey::isHexDigit)) {
      byte[] out = new byte[text.length() / 2];
      for (int i = 0; i < out.length; i++) {
        out[i] = (byte) (Character.digit(text.charAt(2 * i), 16) << 4 | Character.digit(text.charAt(2 * i + 1), 16));
      }
      return out;
    }
    boolean standard = text.indexOf('+') >= 0 || text.indexOf('/') >= 0;
    boolean urlSafe = text.indexOf('-') >= 0 || text.indexOf('_') >= 0;
    if (standard && urlSafe) {
      throw new IllegalArgumentException("the SecureKey mixes the standard and URL-safe base64"
          + " alphabets; write it as hex or in one base64 alphabet");
    }
    try {
      return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the SecureKey is neither hex nor base64; write 32 or more"
          + " random bytes as hex (64 hex digits) or base64");
    }
  }

  private static boolean isHexDigit(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static byte[] utf8(char[] password) {
    try {
      ByteBuffer buf = StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(CharBuffer.wrap(password));
      byte[] out = new byte[buf.remaining()];
      buf.get(out);
      if (buf.hasArray()) {
        Arrays.fill(buf.array(), (byte) 0);
      }
      return out;
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("the password contains an unpaired surrogate character");
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
