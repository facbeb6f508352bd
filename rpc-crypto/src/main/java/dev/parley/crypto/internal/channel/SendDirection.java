package dev.parley.crypto.internal.channel;

import dev.parley.crypto.CryptoException.Reason;
import dev.parley.crypto.CryptoException;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * The sending half of one direction: the frame counter and the current epoch key (PROTOCOL.md
 * §12). Thread-safe: counters are taken with a compare-and-set, so every frame has its own
 * counter and every (key, nonce) pair is used once.
 */
public final class SendDirection {
  private final String name;
  private final byte[] iv;
  private final Limits limits;
  private final NonceObserver observer;
  private static final AtomicLongFieldUpdater<SendDirection> NEXT_COUNTER =
      AtomicLongFieldUpdater.newUpdater(SendDirection.class, "nextCounter");
  private volatile long nextCounter;
  private volatile EpochKey epoch;

  /** Starts at epoch 0 and counter 0 with the handshake's key and IV. */
  public SendDirection(String name, byte[] key32, byte[] iv12, Limits limits, NonceObserver observer) {
    this.name = name;
    this.iv = iv12.clone();
    this.limits = limits;
    this.observer = observer;
    this.epoch = new EpochKey(0, key32);
  }

  /** A frame's counter and the epoch key it is sealed under. */
  public record Reservation(long counter, EpochKey epoch) {}

  /**
   * Takes the next counter and the key to seal under, ratcheting first if the current epoch is
   * full. Throws {@link Reason#LIMIT} once the counter or epoch limit is reached; a counter never
   * wraps.
   */
  public Reservation reserve() throws CryptoException {
    long ctr;
    do {
      ctr = nextCounter;
      if (ctr >= limits.maxFrames()) {
        throw new CryptoException(Reason.LIMIT, "session limit reached, re-handshake");
      }
    } while (!NEXT_COUNTER.compareAndSet(this, ctr, ctr + 1));
    EpochKey e = epoch;
    while (e.countFrame() >= limits.epochFrames() || e.bytes() >= limits.epochBytes()) {
      e = ratchet(e);
    }
    return new Reservation(ctr, e);
  }

  private synchronized EpochKey ratchet(EpochKey full) throws CryptoException {
    EpochKey current = epoch;
    if (current != full) {
      return current;
    }
    if (full.number >= limits.maxEpoch()) {
      throw new CryptoException(Reason.LIMIT, "session limit reached, re-handshake");
    }
    EpochKey next = full.next();
    // Frames in progress still seal under full's key; it is dropped when the last of them is done.
    epoch = next;
    return next;
  }

  /** The nonce of one chunk; counts the chunk's bytes toward its epoch and tells the observer. */
  byte[] nonce(Reservation r, long index, boolean last, int plainLength) {
    byte[] n = FrameFormat.nonce(iv, r.counter(), index, last);
    r.epoch().countBytes(plainLength);
    if (observer != NonceObserver.NONE) {
      observer.sealed(name, r.epoch().number, n.clone());
    }
    return n;
  }

  /** The current epoch number (for tests and diagnostics). */
  public int epochNumber() {
    return epoch.number;
  }

  /** Zeroes the current key; the direction cannot seal afterwards. */
  public void destroy() {
    nextCounter = Long.MAX_VALUE;
    epoch.destroy();
  }
}
