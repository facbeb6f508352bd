package dev.parley.crypto.internal.channel;

import dev.parley.crypto.internal.AesGcm;
import dev.parley.crypto.internal.Hkdf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.SecretKey;
import javax.security.auth.DestroyFailedException;

/**
 * One direction's traffic key in one epoch (PROTOCOL.md §12). The sender also counts the frames
 * and bytes it sealed under it.
 */
public final class EpochKey {
  /** The HKDF-Expand info of the ratchet (PROTOCOL.md §12). */
  static final byte[] RATCHET_LABEL = "parley v1 epoch key".getBytes(StandardCharsets.US_ASCII);

  final int number;
  private final byte[] raw;
  final SecretKey key;
  final AtomicLong frames = new AtomicLong();
  final AtomicLong bytes = new AtomicLong();

  EpochKey(int number, byte[] raw32) {
    this.number = number;
    this.raw = raw32.clone();
    this.key = AesGcm.key(raw32);
  }

  /** K_{e+1} = HKDF-Expand(PRK = K_e, info = "parley v1 epoch key", L = 32). */
  EpochKey next() {
    byte[] k = Hkdf.expand(raw, RATCHET_LABEL, AesGcm.KEY_LENGTH);
    try {
      return new EpochKey(number + 1, k);
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  /** The epoch number. */
  public int number() {
    return number;
  }

  /** Zeroes the raw key (no longer needed to ratchet); the cipher key stays usable. */
  void forgetRaw() {
    Arrays.fill(raw, (byte) 0);
  }

  /** Zeroes both copies. */
  void destroy() {
    forgetRaw();
    try {
      key.destroy();
    } catch (DestroyFailedException e) {
      // AesGcm keys support destroy(); nothing else to do.
    }
  }

  @Override
  public String toString() {
    return "EpochKey[" + number + "]";
  }
}
