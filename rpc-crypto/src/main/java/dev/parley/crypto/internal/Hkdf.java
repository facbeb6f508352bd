package dev.parley.crypto.internal;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.SecretKey;

/**
 * SHA-256, HMAC-SHA256 (RFC 2104) and HKDF-SHA256 (RFC 5869) through the JDK's
 * {@code MessageDigest} and {@code Mac}, one instance of each per thread.
 *
 * <p>Also Noise's {@code HKDF(chaining_key, input_key_material, num_outputs)} (Noise rev 34 §4.3),
 * which is RFC 5869 Extract with the chaining key as salt followed by an Expand-like chain without
 * info.
 *
 * <pre>{@code
 * byte[] prk = Hkdf.extract(salt, inputKeyMaterial);
 * byte[] okm = Hkdf.expand(prk, "parley label".getBytes(StandardCharsets.US_ASCII), 32);
 * }</pre>
 */
public final class Hkdf {
  /** SHA-256 output length in bytes. */
  public static final int HASH_LENGTH = 32;
  /** The largest HKDF-Expand output, 255 · HashLen (RFC 5869 §2.3). */
  public static final int MAX_EXPAND_LENGTH = 255 * HASH_LENGTH;

  private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
    try {
      return Mac.getInstance("HmacSHA256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
    }
  });
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JDK", e);
    }
  });

  private Hkdf() {}

  /** SHA-256 over the concatenation of {@code data}. */
  public static byte[] sha256(byte[]... data) {
    MessageDigest md = SHA256.get();
    md.reset();
    for (byte[] d : data) {
      md.update(d);
    }
    return md.digest();
  }

  /**
   * HMAC-SHA256(key, data[0] ‖ data[1] ‖ …). Any key length is allowed, including empty (which
   * HMAC pads to the same block as an all-zero key, RFC 2104 §2).
   */
  public static byte[] hmac(byte[] key, byte[]... data) {
    Objects.requireNonNull(key, "key == null");
    Mac mac = initMac(key);
    for (byte[] d : data) {
      mac.update(d);
    }
    return mac.doFinal();
  }

  /** HKDF-Extract(salt, IKM) = HMAC(salt, IKM), RFC 5869 §2.2; a null or empty salt means HashLen zeros. */
  public static byte[] extract(byte[] salt, byte[] ikm) {
    Objects.requireNonNull(ikm, "ikm == null");
    return hmac(salt == null || salt.length == 0 ? new byte[HASH_LENGTH] : salt, ikm);
  }

  /**
   * HKDF-Expand(PRK, info, L), RFC 5869 §2.3.
   *
   * @param info may be null (empty)
   * @throws IllegalArgumentException if {@code length} is negative or above 255 · 32
   */
  public static byte[] expand(byte[] prk, byte[] info, int length) {
    Objects.requireNonNull(prk, "prk == null");
    if (length < 0 || length > MAX_EXPAND_LENGTH) {
      throw new IllegalArgumentException("HKDF-SHA256 output length must be 0.." + MAX_EXPAND_LENGTH + ", was " + length);
    }
    byte[] okm = new byte[length];
    if (length == 0) {
      return okm;
    }
    Mac mac = initMac(prk);
    byte[] t = new byte[HASH_LENGTH];
    try {
      int written = 0;
      for (int i = 1; written < length; i++) {
        if (i > 1) {
          mac.update(t);
        }
        if (info != null) {
          mac.update(info);
        }
        mac.update((byte) i);
        mac.doFinal(t, 0);
        int n = Math.min(HASH_LENGTH, length - written);
        System.arraycopy(t, 0, okm, written, n);
        written += n;
      }
      return okm;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 failed", e);
    } finally {
      Arrays.fill(t, (byte) 0);
    }
  }

  /**
   * Noise's HKDF (rev 34 §4.3): {@code temp_key = HMAC(ck, ikm)}, {@code output1 = HMAC(temp_key,
   * 0x01)}, {@code output2 = HMAC(temp_key, output1 ‖ 0x02)}, and for three outputs
   * {@code output3 = HMAC(temp_key, output2 ‖ 0x03)}.
   *
   * @param ikm 0 or 32 bytes in Noise (any length accepted)
   * @param outputs 2 or 3
   * @return {@code outputs} arrays of 32 bytes, owned by the caller
   */
  public static byte[][] noiseHkdf(byte[] chainingKey, byte[] ikm, int outputs) {
    Objects.requireNonNull(chainingKey, "chainingKey == null");
    Objects.requireNonNull(ikm, "ikm == null");
    if (outputs != 2 && outputs != 3) {
      throw new IllegalArgumentException("Noise HKDF produces 2 or 3 outputs, not " + outputs);
    }
    byte[] tempKey = hmac(chainingKey, ikm);
    try {
      byte[][] out = new byte[outputs][];
      out[0] = hmac(tempKey, new byte[] {1});
      out[1] = hmac(tempKey, out[0], new byte[] {2});
      if (outputs == 3) {
        out[2] = hmac(tempKey, out[1], new byte[] {3});
      }
      return out;
    } finally {
      Arrays.fill(tempKey, (byte) 0);
    }
  }

  private static Mac initMac(byte[] key) {
    Mac mac = MAC.get();
    // SecretKeySpec refuses an empty key; HMAC zero-pads keys to the block size (RFC 2104 §2),
    // so an empty key and a key of HashLen zero bytes are the same HMAC key.
    try {
      mac.init(new MacKey(key.length == 0 ? new byte[HASH_LENGTH] : key));
      return mac;
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 initialisation failed", e);
    }
  }

  /**
   * A view of the caller's key bytes for {@code Mac.init}, which takes a copy through
   * {@link #getEncoded()} (and SunJCE zeroes that copy once it has derived its pads). Unlike
   * {@code SecretKeySpec} it makes no second, unzeroable copy, and it accepts any length.
   */
  private static final class MacKey implements SecretKey {
    private static final long serialVersionUID = 1L;
    private final transient byte[] bytes;

    MacKey(byte[] key) {
      this.bytes = key;
    }

    @Override
    public String getAlgorithm() {
      return "HmacSHA256";
    }

    @Override
    public String getFormat() {
      return "RAW";
    }

    @Override
    public byte[] getEncoded() {
      return bytes.clone();
    }

    @Override
    public String toString() {
      return "MacKey[hidden]";
    }
  }
}
