package dev.parley.crypto.internal;

/**
 * The RFC 6479 sliding-window anti-replay bitmap (IPsec ESP's algorithm, also WireGuard's
 * {@code counter_validate}): a ring of 64-bit words, one bit per counter, and the highest counter
 * seen so far.
 *
 * <p><b>Window.</b> The requested size is rounded up to a power of two, at least 4096. A counter is
 * accepted if it is higher than every counter seen, or if it is at most {@code windowSize − 1} below
 * the highest and not yet marked. The ring has one 64-bit block more than the window needs (RFC 6479's
 * redundant block), so advancing the window clears whole words and never a bit still
 * inside the window; memory is {@code (windowSize / 64 + 1) · 8} bytes (520 bytes at 4096).
 *
 * <p><b>No bitmap while the window has no holes.</b> While every counter inside the window up to the
 * highest is marked (counters arrived in order, or late ones have all arrived since), the bitmap
 * would say nothing beyond "every counter up to the highest was seen", so the window holds no
 * bitmap at all: a counter is then new if and only if it is above the highest. A counter that
 * skips ahead creates the bitmap with every counter up to the highest marked (the state the full
 * algorithm would be in), and from then on RFC 6479 runs unchanged while the window counts its
 * holes (unmarked counters inside it): a late counter fills one, a skip adds the skipped ones, a
 * move of the window forgets those that fall out. When the count reaches 0 the bitmap is dropped.
 * Answers are identical to always keeping the bitmap; only the memory differs: an idle session
 * keeps its 520 bytes only while a skipped counter is still missing inside its window (a request
 * that never arrived), PROTOCOL.md §11.
 *
 * <p><b>Counters</b> are unsigned 64-bit on the wire, but Parley's limits (PROTOCOL.md) end a
 * session long before 2^63, so here they are non-negative {@code long}s; a negative value is never
 * accepted.
 *
 * <p><b>Use</b> (PROTOCOL.md §11): {@link #check} before opening a frame (cheap early reject, no state
 * change), then open, then {@link #markIfNew} only after the frame authenticated; when two copies of
 * one frame race, exactly one {@code markIfNew} returns true.
 *
 * <p><b>Thread safety.</b> Every method takes a lock (this object's monitor). Advancing the
 * window updates several words and the highest counter together; a lock-free version needs either
 * a CAS loop over a copied bitmap (an allocation per frame) or careful per-word CAS with ordering
 * against the highest counter, which is easy to get subtly wrong. The critical section is a few
 * array operations (a few words are cleared only when the window moves by more than 64), far
 * shorter than the AES-GCM open that precedes it, so contention costs little.
 *
 * <pre>{@code
 * ReplayWindow window = new ReplayWindow(4096);
 * if (!window.check(ctr)) reject();
 * open(frame);                        // authenticate first
 * if (!window.markIfNew(ctr)) reject();
 * }</pre>
 */
public final class ReplayWindow {
  /** The smallest window, in counters. */
  public static final int MIN_WINDOW = 4096;
  /** The largest window, in counters (a bound on memory: 128 KiB of bitmap). */
  public static final int MAX_WINDOW = 1 << 20;

  private final int blocks;
  private final long windowSize;
  /** The ring, or null while every counter up to {@link #highest} was marked (see the class doc). */
  private long[] bitmap;
  private long highest = -1;
  /** While there is a bitmap: the unmarked counters in the window (≥ 1; at 0 the bitmap is dropped). */
  private long holes;

  /**
   * @param windowSize at least 1; rounded up to a power of two of at least {@value #MIN_WINDOW}
   * @throws IllegalArgumentException if {@code windowSize} is below 1 or above {@value #MAX_WINDOW}
   */
  public ReplayWindow(int windowSize) {
    if (windowSize < 1 || windowSize > MAX_WINDOW) {
      throw new IllegalArgumentException("replay window size must be 1.." + MAX_WINDOW + ", was " + windowSize);
    }
    int size = Math.max(MIN_WINDOW, Integer.highestOneBit(windowSize - 1) << 1);
    this.windowSize = size;
    this.blocks = size / Long.SIZE + 1;
  }

  /** The effective window size (a power of two, at least {@value #MIN_WINDOW}). */
  public int windowSize() {
    return (int) windowSize;
  }

  /** Would {@code counter} be accepted now (not too old, not yet marked)? Changes nothing. */
  public synchronized boolean check(long counter) {
    if (counter < 0) {
      return false;
    }
    if (counter > highest) {
      return true;
    }
    if (bitmap == null || highest - counter >= windowSize) {
      return false;
    }
    return (bitmap[slot(counter)] & bit(counter)) == 0;
  }

  /**
   * Marks {@code counter} as seen. Returns false, changing nothing, if it was already marked or is
   * outside the window (the caller then rejects the frame). Call only after the frame authenticated.
   */
  public synchronized boolean markIfNew(long counter) {
    if (counter < 0) {
      return false;
    }
    if (bitmap == null) {
      if (counter <= highest) {
        return false;   // every counter up to the highest was seen (or is too old)
      }
      if (counter == highest + 1) {
        highest = counter;   // in order: nothing else to record
        return true;
      }
      bitmap = markedUpTo(highest);
      holes = 0;
    }
    if (counter > highest) {
      // The counters that leave the window take their holes with them; the skipped ones that
      // stay inside it are new holes. Counted before advanceTo clears their words.
      long gap = counter - highest - 1;
      holes += Math.min(gap, windowSize - 1) - unmarkedIn(Math.max(0, highest - windowSize + 1),
          Math.min(highest, counter - windowSize));
      advanceTo(counter);
    } else if (highest - counter >= windowSize) {
      return false;
    } else if ((bitmap[slot(counter)] & bit(counter)) != 0) {
      return false;
    } else {
      holes--;
    }
    bitmap[slot(counter)] |= bit(counter);
    if (holes == 0) {
      bitmap = null;   // every counter in the window is marked: the bitmap says nothing more
    }
    return true;
  }

  /** Unmarked counters in {@code [from, to]} (empty when {@code from > to}), all inside the ring. */
  private long unmarkedIn(long from, long to) {
    long unmarked = 0;
    for (long c = from; c <= to; c++) {
      if ((bitmap[slot(c)] & bit(c)) == 0) {
        unmarked++;
      }
    }
    return unmarked;
  }

  /** True when the window currently holds its bitmap (for tests and memory measurements). */
  public synchronized boolean holdsBitmap() {
    return bitmap != null;
  }

  /** A ring in which every counter up to {@code top} (−1: none) is marked and none above it. */
  private long[] markedUpTo(long top) {
    long[] ring = new long[blocks];
    if (top >= 0) {
      java.util.Arrays.fill(ring, -1L);
      // The top's word also holds counters above it: only its bits up to the top are marked.
      ring[slot(top)] = -1L >>> (63 - (top & 63));
    }
    return ring;
  }

  /** The highest marked counter, −1 when none. */
  public synchronized long highest() {
    return highest;
  }

  /** RFC 6479: clear the ring words between the old and the new highest block (at most all of them). */
  private void advanceTo(long counter) {
    long newBlock = counter >>> 6;
    if (highest < 0) {
      // Fresh window: all words are already zero.
    } else {
      long oldBlock = highest >>> 6;
      long diff = Math.min(newBlock - oldBlock, blocks);
      for (long i = 1; i <= diff; i++) {
        bitmap[(int) ((oldBlock + i) % blocks)] = 0L;
      }
    }
    highest = counter;
  }

  private int slot(long counter) {
    return (int) ((counter >>> 6) % blocks);
  }

  private static long bit(long counter) {
    return 1L << (counter & 63);
  }

  @Override
  public String toString() {
    return "ReplayWindow[size=" + windowSize + ", highest=" + highest() + "]";
  }
}
