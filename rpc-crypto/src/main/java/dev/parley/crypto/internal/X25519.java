package dev.parley.crypto.internal;

import java.security.InvalidKeyException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * X25519 Diffie-Hellman (RFC 7748 §5 and §6.1) through Bouncy Castle's lightweight
 * {@code org.bouncycastle.math.ec.rfc7748.X25519} (measured faster here than the JDK's XDH for
 * both key generation and agreement; Bouncy Castle is not registered as a JCA provider).
 *
 * <p>Private keys are 32 random bytes, clamped as RFC 7748 §5 describes ({@code decodeScalar25519})
 * when used; public keys are u-coordinates, the most significant bit ignored as §5 requires.
 * {@link #agree} rejects an all-zero shared secret (RFC 7748 §6.1: a low-order or zero peer point),
 * checked in constant time, as Noise rev 34 §12.1 permits and Parley requires.
 *
 * <pre>{@code
 * X25519.KeyPair mine = X25519.generate(secureRandom);
 * byte[] shared = X25519.agree(mine.privateKey(), peerPublic);   // 32 bytes
 * }</pre>
 */
public final class X25519 {
  /** Length in bytes of private keys, public keys and shared secrets. */
  public static final int KEY_LENGTH = 32;

  private X25519() {}

  /** A fresh key pair: the private key drawn from {@code random}, public = X25519(priv, 9). */
  public static KeyPair generate(SecureRandom random) {
    Objects.requireNonNull(random, "random == null");
    byte[] priv = new byte[KEY_LENGTH];
    org.bouncycastle.math.ec.rfc7748.X25519.generatePrivateKey(random, priv);
    return fromOwnedPrivate(priv);
  }

  /**
   * The key pair for a given private key (for vectors and fixed test inputs); the array is copied.
   * Any 32 bytes are a valid private key (they are clamped when used).
   */
  public static KeyPair fromPrivate(byte[] private32) {
    checkLength(private32, "private32");
    return fromOwnedPrivate(private32.clone());
  }

  private static KeyPair fromOwnedPrivate(byte[] priv) {
    byte[] pub = new byte[KEY_LENGTH];
    org.bouncycastle.math.ec.rfc7748.X25519.scalarMultBase(priv, 0, pub, 0);
    return new KeyPair(priv, pub);
  }

  /**
   * X25519(private32, peerPublic32), RFC 7748 §5.
   *
   * @return the 32-byte shared secret (a new array the caller owns and should zero after use)
   * @throws InvalidKeyException if the result is all zeros (low-order or zero peer point, RFC 7748
   *     §6.1) or a key has the wrong length; the message names no key material
   */
  public static byte[] agree(byte[] private32, byte[] peerPublic32) throws InvalidKeyException {
    Objects.requireNonNull(private32, "private32 == null");
    Objects.requireNonNull(peerPublic32, "peerPublic32 == null");
    if (private32.length != KEY_LENGTH) {
      throw new InvalidKeyException("X25519 private key must be " + KEY_LENGTH + " bytes");
    }
    if (peerPublic32.length != KEY_LENGTH) {
      throw new InvalidKeyException("X25519 public key must be " + KEY_LENGTH + " bytes");
    }
    byte[] shared = new byte[KEY_LENGTH];
    org.bouncycastle.math.ec.rfc7748.X25519.scalarMult(private32, 0, peerPublic32, 0, shared, 0);
    // Constant time: OR-accumulate every byte, branch once on the result.
    int acc = 0;
    for (byte b : shared) {
      acc |= b;
    }
    if (acc == 0) {
      throw new InvalidKeyException("X25519 produced an all-zero shared secret (low-order public key)");
    }
    return shared;
  }

  private static void checkLength(byte[] key, String name) {
    Objects.requireNonNull(key, name + " == null");
    if (key.length != KEY_LENGTH) {
      throw new IllegalArgumentException(name + " must be " + KEY_LENGTH + " bytes, was " + key.length);
    }
  }

  /**
   * An X25519 key pair. The record holds the arrays it is given (no copies, so {@link #destroy()}
   * zeroes the private key in place); {@link #toString()} never shows the private key.
   */
  public record KeyPair(byte[] privateKey, byte[] publicKey) {
    /** Checks lengths. */
    public KeyPair {
      checkLength(privateKey, "privateKey");
      checkLength(publicKey, "publicKey");
    }

    /** Overwrites the private key with zeros. */
    public void destroy() {
      Arrays.fill(privateKey, (byte) 0);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof KeyPair other && Arrays.equals(publicKey, other.publicKey);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("X25519.KeyPair[publicKey=");
      for (byte b : publicKey) {
        sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
      }
      return sb.append(", privateKey=<hidden>]").toString();
    }
  }
}
