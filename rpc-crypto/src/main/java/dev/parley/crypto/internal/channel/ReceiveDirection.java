package dev.parley.crypto.internal.channel;

import dev.parley.crypto.CryptoException;
import dev.parley.crypto.CryptoException.Reason;

/**
 * The receiving half of one direction: the keys of the previous, current and next epoch
 * (PROTOCOL.md §12). A frame of epoch c − 1, c or c + 1 is opened; the receiver moves to c + 1
 * only after a frame of c + 1 authenticated, and then forgets c − 1. The key of c + 1 is derived
 * when the first frame claiming c + 1 arrives and kept from then on (so a forged frame costs one
 * derivation per epoch, not one per frame); until then an idle session holds no key it has not
 * used (about 200 bytes less per session). Thread-safe: readers see an immutable snapshot,
 * transitions are synchronized.
 */
public final class ReceiveDirection {
  private final byte[] iv;
  private final Limits limits;
  private volatile Keys keys;

  /** {@code next} is null until a frame of the next epoch arrived. */
  private record Keys(EpochKey previous, EpochKey current, EpochKey next) {}

  /** Starts at epoch 0 with the handshake's key and IV. */
  public ReceiveDirection(byte[] key32, byte[] iv12, Limits limits) {
    this.iv = iv12.clone();
    this.limits = limits;
    EpochKey first = new EpochKey(0, key32);
    this.keys = new Keys(null, first, null);
  }

  /** The key of a frame's epoch, or a rejection if the receiver holds none for it. */
  public EpochKey keyFor(int epoch) throws CryptoException {
    Keys k = keys;
    if (epoch == k.current.number) {
      return k.current;
    }
    if (k.previous != null && epoch == k.previous.number) {
      return k.previous;
    }
    if (epoch == k.current.number + 1 && epoch <= limits.maxEpoch()) {
      return k.next != null ? k.next : deriveNext(k);
    }
    throw FrameFormat.rejected(Integer.compareUnsigned(epoch, k.current.number) < 0 ? Reason.REPLAY : Reason.AUTHENTICATION);
  }

  /** The next epoch's key, derived once from the current one (PROTOCOL.md §12). */
  private synchronized EpochKey deriveNext(Keys seen) throws CryptoException {
    Keys k = keys;
    if (k != seen) {
      return keyFor(seen.current.number + 1);   // moved on meanwhile: look again
    }
    if (k.current.key.isDestroyed()) {
      throw FrameFormat.rejected(Reason.AUTHENTICATION);   // destroyed: its raw key is zeroed
    }
    EpochKey next = k.current.next();
    keys = new Keys(k.previous, k.current, next);
    return next;
  }

  /** Called after a frame sealed under {@code used} authenticated completely. */
  public void accepted(EpochKey used) {
    Keys seen = keys;
    if (seen.next == null || used != seen.next) {
      return;
    }
    synchronized (this) {
      Keys k = keys;
      if (used != k.next) {
        return;
      }
      if (k.previous != null) {
        k.previous.destroy();
      }
      keys = new Keys(k.current, k.next, null);
    }
  }

  /** The chunk nonce of a frame (PROTOCOL.md §10.3). */
  byte[] nonce(long ctr, long index, boolean last) {
    return FrameFormat.nonce(iv, ctr, index, last);
  }

  /** The current epoch number (for tests and diagnostics). */
  public int epochNumber() {
    return keys.current.number;
  }

  /** Zeroes every held key. */
  public synchronized void destroy() {
    Keys k = keys;
    if (k.previous != null) {
      k.previous.destroy();
    }
    k.current.destroy();
    if (k.next != null) {
      k.next.destroy();
    }
  }
}
