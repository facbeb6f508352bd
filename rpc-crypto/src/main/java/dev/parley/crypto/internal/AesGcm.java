package dev.parley.crypto.internal;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM (NIST SP 800-38D) with a 96-bit nonce and a 128-bit tag, through the JDK's
 * {@code Cipher "AES/GCM/NoPadding"}.
 *
 * <p>{@code Cipher} objects are neither thread-safe nor cheap to create, so each thread keeps a few
 * (a {@link ThreadLocal}) and re-initialises one per call; there is never one per session. A
 * {@code Cipher} expands its key (the AES key schedule) only when it is initialised with a key other
 * than its last one, and that expansion costs about five times a small seal (2.2 µs against 0.4 µs
 * for a 50-byte seal on the development machine). Every Parley thread alternates keys: a client
 * thread seals under the client-to-server key and opens under the other, a server thread the
 * reverse. So each thread keeps {@value #SLOTS} {@code Cipher}s per direction, each remembering the
 * key object it last used; a call with a key it has seen recently (compared by identity) reuses that
 * {@code Cipher} and skips the expansion. The rest is unchanged: every call still initialises the
 * {@code Cipher} with its own nonce. The
 * caller guarantees that a (key, nonce) pair seals at most one distinct plaintext (Parley derives
 * nonces from unique counters, PROTOCOL.md §10.3; SP 800-38D §8 requires
 * the uniqueness). The JDK's own guard, which refuses to re-initialise
 * one {@code Cipher} object for encryption with the key and nonce it used last, only sees the last
 * call on that thread; when it fires this class continues with a fresh {@code Cipher}, because
 * deterministic re-computation (test vectors, a re-sent identical handshake answer) legitimately
 * seals the same plaintext under the same (key, nonce) and produces identical bytes.
 *
 * <p>Limits of the per-thread design: each {@code Cipher} keeps a copy of the last key it used (and
 * its key schedule) for as long as the thread lives or until another key replaces it, out of
 * Parley's reach; the slots hold references to the key objects, whose own bytes are zeroed by
 * {@link SecretKey#destroy()} as before. With virtual threads (JDK 21+) a thread-local means
 * {@code 2 × SLOTS} {@code Cipher}s per virtual thread, so a server on virtual threads should be
 * measured before relying on this.
 *
 * <p>Decryption verifies the tag before any plaintext is released (SP 800-38D §7.2); the JDK buffers
 * the ciphertext until {@code doFinal}, so on {@link AEADBadTagException} nothing useful has been
 * written to {@code out}.
 *
 * <pre>{@code
 * SecretKey k = AesGcm.key(key32);                    // once per key
 * byte[] buf = new byte[len + AesGcm.TAG_LENGTH];     // plaintext in buf[0, len)
 * int sealedLen = AesGcm.seal(k, nonce, ad, buf, 0, len, buf, 0);
 * int plainLen = AesGcm.open(k, nonce, ad, buf, 0, sealedLen, buf, 0);
 * }</pre>
 */
public final class AesGcm {
  /** Key length in bytes (AES-256). */
  public static final int KEY_LENGTH = 32;
  /** Nonce length in bytes (96 bits, the IV length SP 800-38D §5.2.1.1 recommends). */
  public static final int NONCE_LENGTH = 12;
  /** Tag length in bytes (128 bits). */
  public static final int TAG_LENGTH = 16;

  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  /** {@code Cipher}s per thread and direction, each keeping the schedule of the last key it used. */
  static final int SLOTS = 4;
  private static final ThreadLocal<Ciphers> CIPHERS = ThreadLocal.withInitial(Ciphers::new);

  private AesGcm() {}

  /**
   * A key object for repeated use; create it once per key, not per call. The bytes are copied;
   * {@link SecretKey#destroy()} zeroes the copy (the caller zeroes its own array).
   *
   * @throws IllegalArgumentException if {@code key32} is not 32 bytes long
   */
  public static SecretKey key(byte[] key32) {
    Objects.requireNonNull(key32, "key32 == null");
    if (key32.length != KEY_LENGTH) {
      throw new IllegalArgumentException("AES-256-GCM key must be " + KEY_LENGTH + " bytes, was " + key32.length);
    }
    return new AesKey(key32);
  }

  /**
   * Encrypts {@code in[inOff, inOff + len)} and writes ciphertext ‖ tag at {@code out[outOff]}.
   * {@code in} and {@code out} may be the same array at the same offset (in place). {@code ad} may
   * be null (no associated data).
   *
   * @return {@code len + TAG_LENGTH}, the number of bytes written
   */
  public static int seal(SecretKey key, byte[] nonce12, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) {
    return seal(key, nonce12, ad, 0, ad == null ? 0 : ad.length, in, inOff, len, out, outOff);
  }

  /** As {@link #seal(SecretKey, byte[], byte[], byte[], int, int, byte[], int)} with the associated data as a slice. */
  public static int seal(SecretKey key, byte[] nonce12, byte[] ad, int adOff, int adLen,
      byte[] in, int inOff, int len, byte[] out, int outOff) {
    checkArgs(key, nonce12, ad, adOff, adLen, in, inOff, len);
    Objects.checkFromIndexSize(outOff, len + TAG_LENGTH, out.length);
    Cipher cipher = init(Cipher.ENCRYPT_MODE, key, nonce12, ad, adOff, adLen);
    try {
      return cipher.doFinal(in, inOff, len, out, outOff);
    } catch (ShortBufferException e) {
      throw new IllegalArgumentException("output buffer too small", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  /**
   * Decrypts ciphertext ‖ tag {@code in[inOff, inOff + len)} ({@code len >= 16}) into {@code out}
   * at {@code outOff}. {@code in} and {@code out} may be the same array at the same offset.
   *
   * @return {@code len - TAG_LENGTH}, the plaintext length
   * @throws AEADBadTagException if the tag does not verify (ciphertext, nonce, key or AD changed)
   */
  public static int open(SecretKey key, byte[] nonce12, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff)
      throws AEADBadTagException {
    return open(key, nonce12, ad, 0, ad == null ? 0 : ad.length, in, inOff, len, out, outOff);
  }

  /** As {@link #open(SecretKey, byte[], byte[], byte[], int, int, byte[], int)} with the associated data as a slice. */
  public static int open(SecretKey key, byte[] nonce12, byte[] ad, int adOff, int adLen,
      byte[] in, int inOff, int len, byte[] out, int outOff) throws AEADBadTagException {
    checkArgs(key, nonce12, ad, adOff, adLen, in, inOff, len);
    if (len < TAG_LENGTH) {
      throw new AEADBadTagException("sealed input shorter than the tag");
    }
    Objects.checkFromIndexSize(outOff, len - TAG_LENGTH, out.length);
    Cipher cipher = init(Cipher.DECRYPT_MODE, key, nonce12, ad, adOff, adLen);
    try {
      return cipher.doFinal(in, inOff, len, out, outOff);
    } catch (AEADBadTagException e) {
      throw new AEADBadTagException("AES-GCM tag mismatch");
    } catch (ShortBufferException e) {
      throw new IllegalArgumentException("output buffer too small", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed", e);
    }
  }

  private static void checkArgs(SecretKey key, byte[] nonce12, byte[] ad, int adOff, int adLen, byte[] in, int inOff, int len) {
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(nonce12, "nonce12 == null");
    Objects.requireNonNull(in, "in == null");
    if (nonce12.length != NONCE_LENGTH) {
      throw new IllegalArgumentException("AES-GCM nonce must be " + NONCE_LENGTH + " bytes, was " + nonce12.length);
    }
    if (ad == null) {
      if (adLen != 0) {
        throw new IllegalArgumentException("ad == null but adLen = " + adLen);
      }
    } else {
      Objects.checkFromIndexSize(adOff, adLen, ad.length);
    }
    Objects.checkFromIndexSize(inOff, len, in.length);
  }

  /** {@link #init(int, SecretKey, byte[])}, then the associated data {@code ad[adOff, adOff + adLen)} fed in. */
  private static Cipher init(int mode, SecretKey key, byte[] nonce12, byte[] ad, int adOff, int adLen) {
    Cipher cipher = init(mode, key, nonce12);
    if (adLen > 0) {
      cipher.updateAAD(ad, adOff, adLen);
    }
    return cipher;
  }

  private static Cipher init(int mode, SecretKey key, byte[] nonce12) {
    GCMParameterSpec spec = new GCMParameterSpec(TAG_LENGTH * 8, nonce12);
    Ciphers ciphers = CIPHERS.get();
    int slot = ciphers.slotFor(mode, key);
    Cipher cipher = ciphers.cipher(slot);
    try {
      cipher.init(mode, key, spec);
      return cipher;
    } catch (InvalidAlgorithmParameterException reuse) {
      if (mode != Cipher.ENCRYPT_MODE) {
        throw new IllegalStateException("AES-GCM initialisation failed", reuse);
      }
      // The JDK refuses the (key, nonce) this Cipher object encrypted with last; see class doc.
      cipher = ciphers.replace(slot);
      try {
        cipher.init(mode, key, spec);
        return cipher;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM initialisation failed", e);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM initialisation failed", e);
    }
  }

  /**
   * One thread's {@code Cipher}s: {@link #SLOTS} for encryption, then {@link #SLOTS} for
   * decryption, each with the key object it was last initialised with. Not thread-safe (one per
   * thread).
   */
  static final class Ciphers {
    private final SecretKey[] keys = new SecretKey[2 * SLOTS];
    private final Cipher[] ciphers = new Cipher[2 * SLOTS];
    /** The next slot to take over per direction, round robin. */
    private final int[] next = new int[2];

    /** The slot whose {@code Cipher} last used {@code key} in this direction, or one taken over for it. */
    int slotFor(int mode, SecretKey key) {
      int direction = mode == Cipher.ENCRYPT_MODE ? 0 : 1;
      int base = direction * SLOTS;
      for (int i = base; i < base + SLOTS; i++) {
        if (keys[i] == key) {
          return i;
        }
      }
      int slot = base + next[direction];
      next[direction] = (next[direction] + 1) % SLOTS;
      keys[slot] = key;
      return slot;
    }

    Cipher cipher(int slot) {
      Cipher cipher = ciphers[slot];
      return cipher != null ? cipher : replace(slot);
    }

    Cipher replace(int slot) {
      Cipher cipher = newCipher();
      ciphers[slot] = cipher;
      return cipher;
    }
  }

  private static Cipher newCipher() {
    try {
      return Cipher.getInstance(TRANSFORMATION);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(TRANSFORMATION + " is not available in this JDK", e);
    }
  }

  /** A raw AES key whose bytes can be zeroed ({@code SecretKeySpec} cannot in JDK 17). */
  private static final class AesKey implements SecretKey {
    private static final long serialVersionUID = 1L;
    private final byte[] bytes;
    private volatile boolean destroyed;

    AesKey(byte[] key) {
      this.bytes = key.clone();
    }

    @Override
    public String getAlgorithm() {
      return "AES";
    }

    @Override
    public String getFormat() {
      return "RAW";
    }

    @Override
    public byte[] getEncoded() {
      if (destroyed) {
        throw new IllegalStateException("key was destroyed");
      }
      return bytes.clone();
    }

    @Override
    public void destroy() {
      destroyed = true;
      Arrays.fill(bytes, (byte) 0);
    }

    @Override
    public boolean isDestroyed() {
      return destroyed;
    }

    @Override
    public String toString() {
      return "AesKey[256 bits" + (destroyed ? ", destroyed]" : "]");
    }
  }
}
