package dev.parley.crypto.internal.channel;

import dev.parley.crypto.internal.AesGcm;
import dev.parley.crypto.internal.Hkdf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
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
  /** The only copy of the key's bytes (the ratchet reads them back through getEncoded). */
  final SecretKey key;
  // The sender's counts under this key: plain fields updated atomically (not AtomicLong objects),
  // because every idle session holds two epoch keys and memory per session is a target (docs/BENCHMARKS.md "Heap").
  private static final AtomicLongFieldUpdater<EpochKey> FRAMES = AtomicLongFieldUpdater.newUpdater(EpochKey.class, "frames");
  private static final AtomicLongFieldUpdater<EpochKey> BYTES = AtomicLongFieldUpdater.newUpdater(EpochKey.class, "bytes");
  private volatile long frames;
  private volatile long bytes;

  EpochKey(int number, byte[] raw32) {
    this.number = number;
    this.key = AesGcm.key(raw32);
  }

  /** K_{e+1} = HKDF-Expand(PRK = K_e, info = "parley v1 epoch key", L = 32). */
  EpochKey next() {
    byte[] raw = key.getEncoded();
    byte[] k = Hkdf.expand(raw, RATCHET_LABEL, AesGcm.KEY_LENGTH);
    try {
      return new EpochKey(number + 1, k);
    } finally {
      Arrays.fill(raw, (byte) 0);
      Arrays.fill(k, (byte) 0);
    }
  }

  /** Counts one more frame sealed under this key; returns the count before it. */
  long countFrame() {
    return FRAMES.getAndIncrement(this);
  }

  /** Counts {@code n} more plaintext bytes sealed under this key. */
  void countBytes(long n) {
    BYTES.addAndGet(this, n);
  }

  /** Plaintext bytes sealed under this key so far. */
  long bytes() {
    return bytes;
  }

  /** The epoch number. */
  public int number() {
    return number;
  }

  /** Zeroes the key. */
  void destroy() {
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
