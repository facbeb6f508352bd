package dev.parley.crypto.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;

/**
 * The Noise Protocol Framework's SymmetricState (Noise rev 34 §5.2) for the
 * {@code *_25519_AESGCM_SHA256} suites, with its CipherState (§5.1) and the AESGCM nonce rule of
 * §12.3: 32 zero bits followed by the 64-bit big-endian counter {@code n}.
 *
 * <p>Not thread-safe: one instance per handshake, used by one thread at a time. {@link #destroy()}
 * zeroes {@code ck}, {@code h} and {@code k}; call it when the handshake ends.
 *
 * <pre>{@code
 * SymmetricState s = new SymmetricState("Noise_NNpsk0_25519_AESGCM_SHA256");
 * s.mixHash(prologue);
 * s.mixKeyAndHash(psk);
 * s.mixHash(e.publicKey());
 * s.mixKey(e.publicKey());                    // psk handshakes, §9.2
 * byte[] msg = s.encryptAndHash(payload);
 * }</pre>
 */
public final class SymmetricState {
  private final byte[] ck;
  private final byte[] h;
  private final CipherState cipher = new CipherState();

  /**
   * InitializeSymmetric(protocol_name), §5.2: {@code h} = the name padded with zeros to 32 bytes
   * if it fits, else SHA-256(name); {@code ck = h}; no cipher key.
   */
  public SymmetricState(String protocolName) {
    Objects.requireNonNull(protocolName, "protocolName == null");
    byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
    if (name.length <= Hkdf.HASH_LENGTH) {
      h = Arrays.copyOf(name, Hkdf.HASH_LENGTH);
    } else {
      h = Hkdf.sha256(name);
    }
    ck = h.clone();
  }

  /** MixHash(data): {@code h = SHA-256(h ‖ data)}. */
  public void mixHash(byte[] data) {
    Objects.requireNonNull(data, "data == null");
    byte[] next = Hkdf.sha256(h, data);
    System.arraycopy(next, 0, h, 0, h.length);
  }

  /** MixKey(ikm): {@code ck, temp_k = HKDF(ck, ikm, 2)}; InitializeKey(temp_k), which resets n to 0. */
  public void mixKey(byte[] ikm) {
    Objects.requireNonNull(ikm, "ikm == null");
    byte[][] out = Hkdf.noiseHkdf(ck, ikm, 2);
    System.arraycopy(out[0], 0, ck, 0, ck.length);
    cipher.initializeKey(out[1]);
    wipe(out);
  }

  /**
   * MixKeyAndHash(ikm), §5.2 (used for psk tokens, §9): {@code ck, temp_h, temp_k = HKDF(ck, ikm, 3)};
   * MixHash(temp_h); InitializeKey(temp_k).
   */
  public void mixKeyAndHash(byte[] ikm) {
    Objects.requireNonNull(ikm, "ikm == null");
    byte[][] out = Hkdf.noiseHkdf(ck, ikm, 3);
    System.arraycopy(out[0], 0, ck, 0, ck.length);
    mixHash(out[1]);
    cipher.initializeKey(out[2]);
    wipe(out);
  }

  /**
   * EncryptAndHash(plaintext): {@code ciphertext = EncryptWithAd(h, plaintext)}; MixHash(ciphertext).
   * Without a key yet, the "ciphertext" is the plaintext itself (a copy).
   */
  public byte[] encryptAndHash(byte[] plaintext) {
    Objects.requireNonNull(plaintext, "plaintext == null");
    byte[] ciphertext = cipher.encryptWithAd(h, plaintext);
    mixHash(ciphertext);
    return ciphertext;
  }

  /**
   * DecryptAndHash(ciphertext): {@code plaintext = DecryptWithAd(h, ciphertext)}; MixHash(ciphertext).
   * On a bad tag the state is unchanged (Noise §5.1: n is not incremented) and the exception is
   * thrown; a handshake aborts then.
   */
  public byte[] decryptAndHash(byte[] ciphertext) throws AEADBadTagException {
    Objects.requireNonNull(ciphertext, "ciphertext == null");
    byte[] plaintext = cipher.decryptWithAd(h, ciphertext);
    mixHash(ciphertext);
    return plaintext;
  }

  /** A copy of the handshake hash {@code h}. */
  public byte[] handshakeHash() {
    return h.clone();
  }

  /** A copy of the chaining key {@code ck} (Parley's key schedule expands from it, PROTOCOL.md). */
  public byte[] chainingKey() {
    return ck.clone();
  }

  /** HasKey(), §5.1. */
  public boolean hasKey() {
    return cipher.hasKey();
  }

  /**
   * Split(), §5.2: {@code temp_k1, temp_k2 = HKDF(ck, empty, 2)}. Returns the two 32-byte keys
   * (k1 for initiator→responder, k2 for responder→initiator), owned by the caller; wrap each in a
   * {@link CipherState} for Noise transport messages.
   */
  public byte[][] split() {
    return Hkdf.noiseHkdf(ck, new byte[0], 2);
  }

  /** Overwrites ck, h and k with zeros; the object is unusable afterwards. */
  public void destroy() {
    Arrays.fill(ck, (byte) 0);
    Arrays.fill(h, (byte) 0);
    cipher.destroy();
  }

  @Override
  public String toString() {
    return "SymmetricState[hasKey=" + hasKey() + "]";
  }

  private static void wipe(byte[][] arrays) {
    for (byte[] a : arrays) {
      Arrays.fill(a, (byte) 0);
    }
  }

  /**
   * Noise CipherState (§5.1) for AESGCM: key {@code k} (or none) and 64-bit nonce counter
   * {@code n}; nonce = 4 zero bytes ‖ n big-endian (§12.3). {@code n = 2^64 − 1} is reserved, so a
   * CipherState refuses to encrypt or decrypt once n reaches it. Not thread-safe.
   *
   * <pre>{@code
   * byte[][] keys = symmetricState.split();
   * SymmetricState.CipherState send = new SymmetricState.CipherState(keys[0]);
   * byte[] msg = send.encryptWithAd(new byte[0], payload);
   * }</pre>
   */
  public static final class CipherState {
    private byte[] k;
    private SecretKey key;
    private long n;
    private final byte[] nonce = new byte[AesGcm.NONCE_LENGTH];

    CipherState() {}

    /** A CipherState holding a copy of {@code key32} with {@code n = 0}. */
    public CipherState(byte[] key32) {
      initializeKey(key32);
    }

    void initializeKey(byte[] key32) {
      destroy();
      k = key32.clone();
      key = AesGcm.key(k);
      n = 0;
    }

    /** HasKey(). */
    public boolean hasKey() {
      return key != null;
    }

    /** The next nonce counter n (unsigned). */
    public long nonce() {
      return n;
    }

    /** EncryptWithAd(ad, plaintext); without a key returns a copy of the plaintext. */
    public byte[] encryptWithAd(byte[] ad, byte[] plaintext) {
      if (key == null) {
        return plaintext.clone();
      }
      checkNonce();
      byte[] out = new byte[plaintext.length + AesGcm.TAG_LENGTH];
      AesGcm.seal(key, nonceBytes(), ad, plaintext, 0, plaintext.length, out, 0);
      n++;
      return out;
    }

    /** DecryptWithAd(ad, ciphertext); n advances only on success. Without a key returns a copy. */
    public byte[] decryptWithAd(byte[] ad, byte[] ciphertext) throws AEADBadTagException {
      if (key == null) {
        return ciphertext.clone();
      }
      checkNonce();
      if (ciphertext.length < AesGcm.TAG_LENGTH) {
        throw new AEADBadTagException("ciphertext shorter than the tag");
      }
      byte[] out = new byte[ciphertext.length - AesGcm.TAG_LENGTH];
      AesGcm.open(key, nonceBytes(), ad, ciphertext, 0, ciphertext.length, out, 0);
      n++;
      return out;
    }

    /** Zeroes the key; {@link #hasKey()} is false afterwards. */
    public void destroy() {
      if (k != null) {
        Arrays.fill(k, (byte) 0);
        k = null;
      }
      if (key != null) {
        try {
          key.destroy();
        } catch (javax.security.auth.DestroyFailedException e) {
          // AesGcm keys always support destroy(); nothing else reaches here.
        }
        key = null;
      }
    }

    private void checkNonce() {
      if (n == -1L) { // 2^64 - 1 as unsigned: reserved, §5.1
        throw new IllegalStateException("Noise nonce space exhausted; re-handshake");
      }
    }

    private byte[] nonceBytes() {
      long v = n;
      for (int i = 11; i >= 4; i--) {
        nonce[i] = (byte) v;
        v >>>= 8;
      }
      return nonce;
    }

    @Override
    public String toString() {
      return "CipherState[hasKey=" + hasKey() + ", n=" + Long.toUnsignedString(n) + "]";
    }
  }
}
