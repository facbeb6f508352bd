package dev.parley.crypto.internal;

/**
 * The RFC 6479 sliding-window anti-replay bitmap (IPsec ESP's algorithm, also WireGuard's
 * {@code counter_validate}): one bit per counter in 64-bit words, and the highest counter seen so
 * far.
 *
 * <p><b>Window.</b> The requested size is rounded up to a power of two, at least 4096. A counter is
 * accepted if it is higher than every counter seen, or if it is at most {@code windowSize − 1} below
 * the highest and not yet marked. The full ring RFC 6479 describes has one 64-bit word more than the
 * window needs (its redundant block), {@code windowSize / 64 + 1} words (65 words, 520 bytes, at
 * 4096); this class never holds more than that, and usually far less.
 *
 * <p><b>Only the span that has holes.</b> A <i>hole</i> is an unmarked counter inside the window
 * (from {@code highest − windowSize + 1}, or 0, up to the highest): a skipped request that has not
 * arrived (yet). Everything below the oldest hole is marked, so only the words from the one holding
 * the oldest hole (the span's first word) up to the one holding the highest need bits:
 * <ul>
 *   <li>With no hole the window holds no array at all: a counter is then new if and only if it is
 *       above the highest, and the in-order path only moves the highest (no allocation).
 *   <li>A counter that skips ahead creates the span: its first word is the word of the first skipped
 *       counter still inside the window, whose bits below that counter are set (they are marked or
 *       outside the window); every word above it starts empty.
 *   <li><b>Invariant:</b> every counter inside the window below the span's first word is marked, and
 *       the span's first word holds at least one hole. {@link #check} and {@link #markIfNew} rely on
 *       the first half (a counter below the span is reported as seen); the second half is restored
 *       after every change by moving the first word up past words without holes (bits below the
 *       window count as marked, bits above the highest as not yet relevant). When no word has a
 *       hole left, the array is dropped.
 *   <li>The array is a ring: word {@code w} (counters {@code 64·w … 64·w + 63}) lives at index
 *       {@code w mod length}, and every index outside the span holds 0, so moving the highest up
 *       only sets bits and moving the first word up only clears the words it leaves. Its length is
 *       the smallest power of two that holds the span, capped at the full ring; it grows (by
 *       copying into a longer array) only when the span gets wider than the array, and shrinks when
 *       the span fits in a quarter of it (the slack avoids reallocating back and forth).
 * </ul>
 * A hole or a few left by the reordering of concurrent requests cost one or two words; the array
 * grows to the full ring only once a hole is about a whole window behind the highest (and then
 * keeps that length until the span fits in a quarter of it, or the last hole goes). Answers are
 * identical to always keeping the full ring; only the memory differs (PROTOCOL.md §11).
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
 * window updates several words, the span and the highest counter together; a lock-free version
 * needs either a CAS loop over a copied bitmap (an allocation per frame) or careful per-word CAS
 * with ordering against the highest counter, which is easy to get subtly wrong. The critical section
 * is a few array operations (more only when the span moves, grows or shrinks by many words), far
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

  /** The full ring's length in words: the window plus RFC 6479's redundant word. */
  private final int blocks;
  private final long windowSize;
  /**
   * The span's words as a ring (word {@code w} at index {@code w % span.length}), or null while the
   * window has no hole (see the class doc).
   */
  private long[] span;
  /** While {@link #span} is held: the word ({@code counter >>> 6}) of the oldest hole. */
  private long firstWord;
  private long highest = -1;
  /** Set by {@link #close()}: no counter is marked any more. */
  private boolean closed;

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
    return highest - counter < windowSize && !isMarked(counter);
  }

  /**
   * Marks {@code counter} as seen. Returns false, changing nothing, if it was already marked or is
   * outside the window (the caller then rejects the frame). Call only after the frame authenticated.
   */
  public synchronized boolean markIfNew(long counter) {
    if (counter < 0 || closed) {
      return false;
    }
    if (counter > highest) {
      if (span == null && counter == highest + 1) {
        highest = counter;   // in order with no hole: nothing else to record
      } else {
        advanceTo(counter);
      }
      return true;
    }
    if (highest - counter >= windowSize || isMarked(counter)) {
      return false;
    }
    long word = counter >>> 6;
    span[index(word)] |= bit(counter);
    if (word == firstWord) {
      dropLeadingWordsWithoutHoles();   // this may have been the oldest hole
    }
    return true;
  }

  /**
   * Stops marking: every later {@link #markIfNew} fails. After this, {@link #check} answers for good
   * whether a counter was ever accepted (false) or never was and never will be (true): a retired
   * session's record of what it ran (PROTOCOL.md §13).
   */
  public synchronized void close() {
    closed = true;
  }

  /** True when the window currently holds an array of bits (for tests and memory measurements). */
  public synchronized boolean holdsBitmap() {
    return span != null;
  }

  /** The length of the array currently held, in 64-bit words; 0 when none (tests, measurements). */
  public synchronized int heldWords() {
    return span == null ? 0 : span.length;
  }

  /** The highest marked counter, −1 when none. */
  public synchronized long highest() {
    return highest;
  }

  /** For a counter inside the window and at most the highest. */
  private boolean isMarked(long counter) {
    long word = counter >>> 6;
    // No span, or a word below it: marked by the invariant (the span starts at the oldest hole).
    return span == null || word < firstWord || (span[index(word)] & bit(counter)) != 0;
  }

  /**
   * Marks {@code counter} above the highest, except on the fast path (no span and exactly the next
   * counter). The counters skipped on the way are holes if they stay inside the window.
   */
  private void advanceTo(long counter) {
    long bottom = Math.max(0, counter - windowSize + 1);   // the new window's lowest counter
    long topWord = counter >>> 6;
    if (span != null) {
      // Words wholly below the new window leave first, so that the span up to the new highest
      // fits in the full ring.
      releaseWordsBelow(bottom >>> 6);
    }
    if (span == null) {
      // Every counter up to the old highest was marked: the oldest hole is the first skipped
      // counter that is still inside the window.
      long firstHole = Math.max(highest + 1, bottom);
      firstWord = firstHole >>> 6;
      span = new long[lengthFor(topWord - firstWord + 1)];
      span[index(firstWord)] = bit(firstHole) - 1;   // below the first hole: marked or too old
    } else if (topWord - firstWord + 1 > span.length) {
      relayout(lengthFor(topWord - firstWord + 1));
    }
    highest = counter;
    span[index(topWord)] |= bit(counter);
    dropLeadingWordsWithoutHoles();
  }

  /**
   * Restores the invariant after the window moved or a hole in the first word was filled: the first
   * word becomes the lowest one with a hole inside the window, or the span is dropped when there is
   * none. Shrinks the array when the span fits in a quarter of it.
   */
  private void dropLeadingWordsWithoutHoles() {
    long bottom = Math.max(0, highest - windowSize + 1);
    long bottomWord = bottom >>> 6;
    long topWord = highest >>> 6;
    long word = Math.max(firstWord, bottomWord);
    for (; word <= topWord; word++) {
      long bits = span[index(word)];
      if (word == bottomWord) {
        bits |= bit(bottom) - 1;                          // below the window: nothing to wait for
      }
      if (word == topWord) {
        bits |= ~(-1L >>> (63 - (highest & 63)));        // above the highest: not holes
      }
      if (bits != -1L) {
        break;
      }
    }
    releaseWordsBelow(word);
    if (span != null) {
      int needed = lengthFor(topWord - firstWord + 1);
      if (needed <= span.length / 4) {
        relayout(needed);
      }
    }
  }

  /**
   * Moves the span's first word up to {@code word} (no change if it is not above it), clearing the
   * words it leaves; drops the array when that passes the highest's word.
   */
  private void releaseWordsBelow(long word) {
    if (word <= firstWord) {
      return;
    }
    long topWord = highest >>> 6;
    if (word > topWord) {
      span = null;
      return;
    }
    for (long w = firstWord; w < word; w++) {
      span[index(w)] = 0L;
    }
    firstWord = word;
  }

  /** Copies the span's words (first word up to the highest's) into a new array of {@code length}. */
  private void relayout(int length) {
    long[] next = new long[length];
    for (long w = firstWord, top = highest >>> 6; w <= top; w++) {
      next[(int) (w % length)] = span[index(w)];
    }
    span = next;
  }

  /** The smallest power of two of at least {@code words}, at most the full ring. */
  private int lengthFor(long words) {
    int length = Integer.highestOneBit((int) words);
    if (length < words) {
      length <<= 1;
    }
    return Math.min(blocks, length);
  }

  private int index(long word) {
    return (int) (word % span.length);
  }

  private static long bit(long counter) {
    return 1L << (counter & 63);
  }

  @Override
  public String toString() {
    return "ReplayWindow[size=" + windowSize + ", highest=" + highest() + "]";
  }
}
