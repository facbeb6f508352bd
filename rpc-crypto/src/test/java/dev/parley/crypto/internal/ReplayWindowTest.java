package dev.parley.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * {@link ReplayWindow} against tables in the style of WireGuard's {@code counter_test}
 * (drivers/net/wireguard/selftest/counter.c) and the Linux kernel's IPsec replay tests.
 *
 * <p>WireGuard's window of {@code COUNTER_WINDOW_SIZE} accepts a counter up to that far below the
 * highest; this window of size W accepts up to W − 1 below (W counters including the highest). The
 * WireGuard sequences are therefore ported with {@code LIM = W} where WireGuard has
 * {@code T_LIM = COUNTER_WINDOW_SIZE + 1}, and {@code W − 1} where it has
 * {@code COUNTER_WINDOW_SIZE}; WireGuard's {@code REJECT_AFTER_MESSAGES} becomes 2^63 (counters at
 * or above it are negative as {@code long} and never accepted). Every step also asserts that
 * {@code check} predicted {@code markIfNew}'s answer.
 */
class ReplayWindowTest {
  private static final int W = 4096;
  private static final long LIM = W;
  private static final long REJECT = Long.MIN_VALUE; // 2^63 as an unsigned counter

  private ReplayWindow window = new ReplayWindow(W);
  private int step;

  private void t(long counter, boolean expected) {
    step++;
    assertEquals(expected, window.check(counter), "check, step " + step + ", counter " + Long.toUnsignedString(counter));
    assertEquals(expected, window.markIfNew(counter), "markIfNew, step " + step + ", counter " + Long.toUnsignedString(counter));
  }

  private void reset() {
    window = new ReplayWindow(W);
  }

  @Test
  void wireGuardCounterSequenceGivesTheExpectedAnswers() {
    /*  1 */ t(0, true);
    /*  2 */ t(1, true);
    /*  3 */ t(1, false);
    /*  4 */ t(9, true);
    /*  5 */ t(8, true);
    /*  6 */ t(7, true);
    /*  7 */ t(7, false);
    /*  8 */ t(LIM, true);
    /*  9 */ t(LIM - 1, true);
    /* 10 */ t(LIM - 1, false);
    /* 11 */ t(LIM - 2, true);
    /* 12 */ t(2, true);
    /* 13 */ t(2, false);
    /* 14 */ t(LIM + 16, true);
    /* 15 */ t(3, false);
    /* 16 */ t(LIM + 16, false);
    /* 17 */ t(LIM * 4, true);
    /* 18 */ t(LIM * 4 - (LIM - 1), true);
    /* 19 */ t(10, false);
    /* 20 */ t(LIM * 4 - LIM, false);
    /* 21 */ t(LIM * 4 - (LIM + 1), false);
    /* 22 */ t(LIM * 4 - (LIM - 2), true);
    /* 23 */ t(LIM * 4 + 1 - LIM, false);
    /* 24 */ t(0, false);
    /* 25 */ t(REJECT, false);
    /* 26 */ t(REJECT - 1, true);
    /* 27 */ t(REJECT, false);
    /* 28 */ t(REJECT - 1, false);
    /* 29 */ t(REJECT - 2, true);
    /* 30 */ t(REJECT + 1, false);
    /* 31 */ t(REJECT + 2, false);
    /* 32 */ t(REJECT - 2, false);
    /* 33 */ t(REJECT - 3, true);
    /* 34 */ t(0, false);
    assertEquals(Long.MAX_VALUE, window.highest());
  }

  @Test
  void ascendingFullWindowStillAcceptsZero() {
    for (long i = 1; i <= W - 1; i++) {
      t(i, true);
    }
    t(0, true);
    t(0, false);
  }

  @Test
  void ascendingWindowPlusOnePushesZeroOut() {
    for (long i = 2; i <= W; i++) {
      t(i, true);
    }
    t(1, true);
    t(0, false);
  }

  @Test
  void descendingFullWindowIsAllAccepted() {
    for (long i = W - 1; i >= 0; i--) {
      t(i, true);
    }
  }

  @Test
  void descendingFromWindowSizeRejectsZero() {
    for (long i = W; i >= 1; i--) {
      t(i, true);
    }
    t(0, false);
  }

  @Test
  void descendingThenOneHigherRejectsZero() {
    for (long i = W - 1; i >= 1; i--) {
      t(i, true);
    }
    t(W, true);
    t(0, false);
  }

  @Test
  void descendingThenZeroThenOneHigherAcceptsBoth() {
    for (long i = W - 1; i >= 1; i--) {
      t(i, true);
    }
    t(0, true);
    t(W, true);
  }

  @Test
  void countersAcrossBitmapWordBoundariesAreTrackedSeparately() {
    for (long c : new long[] {63, 64, 127, 128, 0, 1, 65}) {
      t(c, true);
    }
    for (long c : new long[] {63, 64, 127, 128, 0, 1, 65}) {
      t(c, false);
    }
    t(62, true);
    t(129, true);
  }

  @Test
  void aBitmapWordReusedAfterTheRingWrapsStartsEmpty() {
    int ringBits = (W / 64 + 1) * 64; // the window plus one slack word
    t(5, true);
    t(5 + ringBits, true); // same word of the ring as 5, one full turn later
    t(5, false);           // far outside the window now
    t(6 + ringBits, true); // its old bit (6) was never set; the reused word was cleared
    t(5 + ringBits, false);
  }

  @Test
  void advancingByLessThanAWordKeepsEarlierBitsOfThatWord() {
    t(64 * 10 + 1, true);
    t(64 * 10 + 40, true);
    t(64 * 10 + 1, false);
    t(64 * 10 + 2, true);
  }

  @Test
  void aJumpOfExactlyTheWindowRejectsTheOldHighest() {
    t(1000, true);
    t(1000 + W, true);
    t(1000, false);
    t(1001, true);
  }

  @Test
  void aHugeJumpClearsEverythingAndKeepsWorking() {
    for (long i = 0; i < 200; i++) {
      t(i, true);
    }
    long far = 1L << 40;
    t(far, true);
    t(far - 1, true);
    t(far - W + 1, true);
    t(far - W, false);
    t(199, false);
    t(far, false);
  }

  @Test
  void checkDoesNotChangeState() {
    assertTrue(window.check(7));
    assertTrue(window.check(7));
    assertEquals(-1, window.highest());
    assertTrue(window.markIfNew(7));
    assertFalse(window.check(7));
    assertEquals(7, window.highest());
  }

  @Test
  void negativeCountersAreNeverAccepted() {
    assertFalse(window.check(-1));
    assertFalse(window.markIfNew(-1));
    assertFalse(window.markIfNew(Long.MIN_VALUE));
    assertEquals(-1, window.highest());
  }

  @Test
  void windowSizeIsRoundedUpToAPowerOfTwoOfAtLeast4096() {
    assertEquals(4096, new ReplayWindow(1).windowSize());
    assertEquals(4096, new ReplayWindow(4096).windowSize());
    assertEquals(8192, new ReplayWindow(4097).windowSize());
    assertEquals(8192, new ReplayWindow(5000).windowSize());
    assertThrows(IllegalArgumentException.class, () -> new ReplayWindow(0));
    assertThrows(IllegalArgumentException.class, () -> new ReplayWindow(ReplayWindow.MAX_WINDOW + 1));
  }

  @Test
  void aLargerWindowAcceptsCountersFurtherBack() {
    window = new ReplayWindow(8192);
    t(10_000, true);
    t(10_000 - 8191, true);
    t(10_000 - 8192, false);
  }

  @Test
  void randomSequencesAgreeWithASimpleModel() {
    Random random = new Random(6479);
    for (int round = 0; round < 20; round++) {
      Model model = new Model(round);
      long base = 0;
      for (int i = 0; i < 5000; i++) {
        int pick = random.nextInt(10);
        long c;
        if (pick < 6) {
          c = Math.max(0, base + random.nextInt(2 * W) - W);  // around the front, both sides of the edge
        } else if (pick < 8) {
          c = model.highest < 0 ? 0 : Math.max(0, model.highest - W + random.nextInt(3) - 1); // the edge itself
        } else {
          base += random.nextInt(3 * W);                     // move forward, sometimes past a whole ring
          c = base;
        }
        model.markAndCompare(c, i, false);
      }
    }
  }

  @Test
  void aWindowThatSawOnlyInOrderCountersHoldsNoBitmap() {
    reset();
    assertFalse(window.holdsBitmap());
    for (long c = 0; c < 3 * W; c++) {
      assertTrue(window.markIfNew(c));
    }
    assertFalse(window.holdsBitmap());
    assertFalse(window.markIfNew(3 * W - 1));
    assertFalse(window.check(0));
    assertTrue(window.check(3 * W));
  }

  @Test
  void aSkippedCounterCreatesTheBitmapAndTheLastMissingOneDropsIt() {
    reset();
    for (long c = 0; c < 100; c++) {
      assertTrue(window.markIfNew(c));
    }
    assertTrue(window.markIfNew(102));            // 100 and 101 are still in flight
    assertTrue(window.holdsBitmap());
    assertFalse(window.markIfNew(99));            // marked before the bitmap existed
    assertTrue(window.markIfNew(101));
    assertTrue(window.holdsBitmap());             // 100 is still missing
    assertFalse(window.markIfNew(101));
    assertTrue(window.markIfNew(100));            // the last hole
    assertFalse(window.holdsBitmap());
    assertFalse(window.markIfNew(100));
    assertTrue(window.markIfNew(103));
  }

  @Test
  void aCounterThatNeverArrivesKeepsTheBitmapUntilItLeavesTheWindow() {
    reset();
    assertTrue(window.markIfNew(0));
    assertTrue(window.markIfNew(2));              // 1 never arrives
    for (long c = 3; c < W + 1; c++) {
      assertTrue(window.markIfNew(c));
      assertTrue(window.holdsBitmap());
    }
    assertTrue(window.check(1));                  // still inside the window: it would be accepted
    assertTrue(window.markIfNew(W + 1));          // 1 falls out of the window
    assertFalse(window.holdsBitmap());
    assertFalse(window.markIfNew(1));
  }

  @Test
  void aJumpBeyondTheWindowLeavesAWindowOfHoles() {
    reset();
    assertTrue(window.markIfNew(0));
    assertTrue(window.markIfNew(3 * W));          // every counter inside the new window is missing
    assertTrue(window.holdsBitmap());
    for (long c = 2 * W + 1; c < 3 * W; c++) {
      assertTrue(window.markIfNew(c));
    }
    assertFalse(window.holdsBitmap());
    assertFalse(window.markIfNew(2 * W));         // too old
  }

  @Test
  void mostlyInOrderSequencesAgreeWithASimpleModel() {
    // Exercises the switch between no bitmap and the bitmap: long in-order runs, skips, late
    // counters filling holes, replays, and counters at and beyond the window's edge.
    Random random = new Random(4096);
    for (int round = 0; round < 10; round++) {
      Model model = new Model(round);
      for (int i = 0; i < 5_000; i++) {
        int pick = random.nextInt(100);
        long c;
        if (pick < 80) {
          c = model.highest + 1;                                  // in order
        } else if (pick < 85) {
          c = model.highest + 2 + random.nextInt(3 * W);         // a skip, sometimes past the window
        } else if (pick < 99) {
          c = Math.max(0, model.highest - random.nextInt(W + 2)); // late or replayed, near the edge too
        } else {
          for (int k = 0; k < W + 10; k++) {                     // a run long enough to drop the bitmap
            long n = model.highest + 1;
            assertTrue(window.markIfNew(n));
            model.seen.add(n);
            model.highest = n;
          }
          c = model.highest + 1;
        }
        model.markAndCompare(c, i, true);
      }
    }
  }

  /**
   * The simple model of a fresh window the random tests compare it with: the set of counters
   * accepted and the highest of them; a counter is new if above the highest, or within the window
   * and not yet seen.
   */
  private final class Model {
    final Set<Long> seen = new HashSet<>();
    long highest = -1;
    private final int round;

    Model(int round) {
      this.round = round;
      reset();
    }

    /**
     * Asserts the window agrees with the model on {@code c} (first through {@code check} when
     * {@code checkFirst}, then by marking it) and on holding a bitmap; the model then takes it.
     */
    void markAndCompare(long c, int step, boolean checkFirst) {
      boolean expected = c > highest || (highest - c < W && !seen.contains(c));
      if (checkFirst) {
        assertEquals(expected, window.check(c), "check, round " + round + " step " + step + " counter " + c);
      }
      assertEquals(expected, window.markIfNew(c),
          "round " + round + " step " + step + " counter " + c + " highest " + highest);
      if (expected) {
        seen.add(c);
        highest = Math.max(highest, c);
      }
      assertBitmapHeldExactlyWhileTheWindowHasHoles(seen, highest, step);
    }
  }

  private void assertBitmapHeldExactlyWhileTheWindowHasHoles(Set<Long> seen, long highest, int step) {
    if (step % 7 != 0) {
      return;   // the scan is W long; every 7th step is plenty
    }
    boolean holes = false;
    for (long k = Math.max(0, highest - W + 1); k <= highest && !holes; k++) {
      holes = !seen.contains(k);
    }
    assertEquals(holes, window.holdsBitmap(), "bitmap held exactly while the window has holes, step " + step);
  }

  @Test
  void countersMarkedConcurrentlyByManyThreadsAreEachAcceptedExactlyOnce() throws Exception {
    int counters = W; // all within one window, so order does not matter
    AtomicIntegerArray accepted = markConcurrently(8, counters, t -> {
      List<Long> order = new ArrayList<>();
      for (long c = 0; c < counters; c++) {
        order.add(c);
      }
      Collections.shuffle(order, new Random(t));
      return order;
    });
    for (int c = 0; c < counters; c++) {
      assertEquals(1, accepted.get(c), "counter " + c);
    }
    assertEquals(counters - 1, window.highest());
  }

  @Test
  void aSlidingWindowUnderConcurrencyNeverAcceptsACounterTwice() throws Exception {
    int counters = 4 * W;
    AtomicIntegerArray accepted = markConcurrently(8, counters, t -> {
      Random random = new Random(100 + t);
      List<Long> order = new ArrayList<>();
      for (int c = 0; c < counters; c++) {
        order.add((long) Math.max(0, Math.min(counters - 1, c + random.nextInt(64) - 32)));
      }
      return order;
    });
    for (int c = 0; c < counters; c++) {
      assertTrue(accepted.get(c) <= 1, "counter " + c + " accepted " + accepted.get(c) + " times");
    }
  }

  /**
   * Starts {@code threads} threads at once; thread t marks the counters {@code order} gives it, in
   * that order. Returns how often each counter below {@code counters} was accepted.
   */
  private AtomicIntegerArray markConcurrently(int threads, int counters, IntFunction<List<Long>> order)
      throws Exception {
    AtomicIntegerArray accepted = new AtomicIntegerArray(counters);
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        List<Long> mine = order.apply(t);
        futures.add(pool.submit(() -> {
          start.await();
          for (long c : mine) {
            if (window.markIfNew(c)) {
              accepted.incrementAndGet((int) c);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return accepted;
  }

  // ---- The span: only the words from the oldest hole up to the highest are held ----

  @Test
  void oneMissingCounterKeepsOneWordNotTheWholeRing() {
    t(1, true);                                   // 0 never arrives
    assertEquals(1, window.heldWords());
    assertTrue(window.holdsBitmap());
    for (long c = 2; c < 64; c++) {
      t(c, true);
      assertEquals(1, window.heldWords(), "counter " + c);
    }
    t(1, false);
    t(63, false);
    assertTrue(window.check(0));                  // the hole is still acceptable
    assertTrue(window.check(64));
  }

  @Test
  void aWindowThatSawOnlyInOrderCountersNeverHoldsAWord() {
    for (long c = 0; c < 2 * W; c++) {
      t(c, true);
      assertEquals(0, window.heldWords());
    }
  }

  /**
   * Accepts counters 0 and 2, so that 1 stays missing; returns the span in words the window then
   * holds while its highest counter is in word 0, 1, 2 … 8: it doubles as the highest moves away.
   */
  private int[] holeAtCounter1() {
    t(0, true);
    t(2, true);
    return new int[] {1, 2, 4, 4, 8, 8, 8, 8, 16};
  }

  @Test
  void theSpanGrowsByDoublingAsTheHighestMovesAwayFromAHole() {
    int[] expected = holeAtCounter1();
    for (int word = 0; word < expected.length; word++) {
      for (long c = Math.max(3, 64L * word); c < 64L * (word + 1); c++) {
        t(c, true);
        assertEquals(expected[word], window.heldWords(), "counter " + c);
      }
    }
    t(1, true);                                   // the only hole: the span is dropped
    assertEquals(0, window.heldWords());
    t(1, false);
    t(64L * expected.length - 1, false);
  }

  @Test
  void spanShrinksWhenTheOldestHoleIsFilled() {
    for (long c = 0; c < 1000; c++) {
      if (c != 10 && c != 970) {
        t(c, true);                               // 10 and 970 are late
      }
    }
    // Words 0 (counter 10) to 15 (counter 999): 16 words.
    assertEquals(16, window.heldWords());
    t(10, true);
    // The oldest hole is now 970, in word 15, the highest's word: one word.
    assertEquals(1, window.heldWords());
    t(10, false);
    t(11, false);                                 // below the span, inside the window: marked
    t(969, false);
    assertTrue(window.check(970));
    t(970, true);
    assertEquals(0, window.heldWords());
    t(970, false);
    t(1000, true);
  }

  @Test
  void aSpanThatNarrowsALittleKeepsItsArray() {
    t(0, true);
    t(2, true);                                   // 1 is late
    for (long c = 3; c < 64 * 3; c++) {
      t(c, true);
    }
    t(64 + 5, false);
    assertTrue(window.markIfNew(64 * 3 + 7));     // 192 … 198 are late too: words 0 to 3
    assertEquals(4, window.heldWords());
    t(1, true);                                   // the oldest hole is now in word 3: one word
    assertEquals(1, window.heldWords());
    t(64 * 3, true);
    assertEquals(1, window.heldWords());
    assertTrue(window.markIfNew(64 * 4 + 1));     // 199 … 256 late as well: words 3 and 4
    assertEquals(2, window.heldWords());
    for (long c = 64 * 3 + 1; c < 64 * 3 + 7; c++) {
      t(c, true);
    }
    // The oldest hole is 199, still in word 3; then 256 in word 4 once 199 … 255 arrive. A span
    // of one word in an array of two is kept (it shrinks only when it fits in a quarter).
    for (long c = 64 * 3 + 8; c < 64 * 4; c++) {
      t(c, true);
    }
    assertEquals(2, window.heldWords());
    t(64 * 4 - 1, false);
    t(64 * 4, true);
    assertEquals(0, window.heldWords());
  }

  @Test
  void spanIsDroppedWhenTheLastHoleLeavesTheWindow() {
    for (long c = 1; c < W; c++) {
      t(c, true);                                 // 0 never arrives
    }
    // Words 0 to 63: the span of the whole window (no redundant word needed yet).
    assertEquals(64, window.heldWords());
    assertTrue(window.check(0));
    t(W, true);                                   // 0 leaves the window
    assertEquals(0, window.heldWords());
    assertFalse(window.holdsBitmap());
    t(0, false);
    t(W + 1, true);
  }

  @Test
  void whenTheOldestHoleLeavesTheWindowTheSpanStartsAtTheNextOne() {
    for (long c = 1; c < W + 100; c++) {
      if (c != 3000) {
        t(c, true);                               // 0 and 3000 never arrive
      }
    }
    // 0 left the window at W, when the span had reached the full ring; now 3000 (word 46) up to
    // W + 99 (word 65): 20 words, kept in the ring's array since they do not fit in a quarter of it.
    assertEquals(65, window.heldWords());
    t(0, false);
    t(2999, false);
    t(W + 99, false);
    assertTrue(window.check(3000));
    for (long c = W + 100; c < 3000 + W; c++) {
      t(c, true);
    }
    assertEquals(65, window.heldWords());         // 3000 is the window's oldest counter now
    t(3000 + W, true);
    assertEquals(0, window.heldWords());
    t(3000, false);
  }

  @Test
  void farSkipsInsideTheWindowGrowTheSpanUpToTheRing() {
    int[] expected = holeAtCounter1();
    for (int word = 1; word < expected.length; word++) {
      t(64L * word + 63, true);                   // skips a whole word each time
      assertEquals(expected[word], window.heldWords(), "word " + word);
    }
    t(W - 1, true);                               // words 0 to 63
    assertEquals(64, window.heldWords());
    for (long c = 3; c < 10; c++) {
      t(c, true);
    }
    t(W + 5, true);                               // window 6 … W + 5: words 0 (hole 10) to 64
    assertEquals(65, window.heldWords());
    assertEquals(65, W / 64 + 1);                 // the full ring, RFC 6479's redundant word included
    t(1, false);                                  // too old now
    t(9, false);
    t(10, true);
    t(11, true);
    t(W + 4, true);
    t(W + 5, false);
    t(W + 64 * 4, true);                          // window 257 … W + 256: words 4 to 68
    assertEquals(65, window.heldWords());
    t(256, false);
    t(257, true);
    t(W + 64 * 4 - 1, true);
  }

  @Test
  void countersBelowTheSpanInsideTheWindowAreReportedAsSeen() {
    for (long c = 0; c < 100; c++) {
      t(c, true);
    }
    t(300, true);                                 // 100 … 299 are missing: the span starts at word 1
    for (long c = 0; c < 100; c++) {
      assertFalse(window.check(c), "counter " + c);
      assertFalse(window.markIfNew(c), "counter " + c);
    }
    for (long c = 100; c < 300; c++) {
      assertTrue(window.check(c), "counter " + c);
    }
    assertEquals(4, window.heldWords());           // words 1 to 4
  }

  @Test
  void aJumpOfAWholeWindowWithAHoleLeftBehindStartsAFreshSpan() {
    t(0, true);
    t(5, true);                                   // 1 … 4 are missing
    t(5 + W, true);                               // they left the window; 6 … W + 4 are missing now
    assertEquals(65, window.heldWords());
    t(5, false);
    t(6, true);
    t(3 * W, true);                               // every counter of the new window is missing
    assertEquals(65, window.heldWords());
    t(2 * W, false);
    t(2 * W + 1, true);
    t(5 + W, false);
    for (long c = 2 * W + 2; c < 3 * W; c++) {
      t(c, true);
    }
    assertEquals(0, window.heldWords());
  }

  @Test
  void theSpanNeverExceedsTheRingForAnyWindowSize() {
    for (int size : new int[] {4096, 8192, 65536}) {
      window = new ReplayWindow(size);
      int ring = size / 64 + 1;
      Random random = new Random(size);
      long top = 0;
      for (int i = 0; i < 20_000; i++) {
        top += 1 + random.nextInt(size / 8);
        window.markIfNew(top);
        assertTrue(window.heldWords() <= ring, "size " + size + " held " + window.heldWords());
      }
    }
  }

  // ---- Differential: the span against RFC 6479 with the full ring always held ----

  /**
   * RFC 6479 as the RFC draws it, with nothing left out: a ring of {@code size / 64 + 1} words
   * always allocated, cleared word by word as the highest counter moves up.
   */
  private static final class FullRing {
    private final long size;
    private final long[] ring;
    private long top = -1;

    FullRing(int size) {
      this.size = size;
      this.ring = new long[size / 64 + 1];
    }

    boolean check(long c) {
      if (c < 0) {
        return false;
      }
      if (c > top) {
        return true;
      }
      if (top - c >= size) {
        return false;
      }
      return (ring[word(c)] & (1L << (c & 63))) == 0;
    }

    boolean mark(long c) {
      if (!check(c)) {
        return false;
      }
      if (c > top) {
        if (top >= 0) {
          long moved = Math.min((c >>> 6) - (top >>> 6), ring.length);
          for (long k = 1; k <= moved; k++) {
            ring[(int) (((top >>> 6) + k) % ring.length)] = 0L;
          }
        }
        top = c;
      }
      ring[word(c)] |= 1L << (c & 63);
      return true;
    }

    /** The oldest unmarked counter inside the window, or −1 when every one is marked. */
    long oldestHole() {
      for (long c = Math.max(0, top - size + 1); c <= top; c++) {
        if ((ring[word(c)] & (1L << (c & 63))) == 0) {
          return c;
        }
      }
      return -1;
    }

    private int word(long c) {
      return (int) ((c >>> 6) % ring.length);
    }
  }

  @Test
  void randomMixturesAnswerExactlyAsTheFullRingDoes() {
    for (long seed : new long[] {1, 2, 3, 6479, 4096, 0xC0FFEE}) {
      differential(W, seed, 40_000);
    }
  }

  @Test
  void randomMixturesAnswerExactlyAsTheFullRingDoesWithAWindowOf8192() {
    for (long seed : new long[] {7, 8192, 0xBEEF}) {
      differential(8192, seed, 40_000);
    }
  }

  private void differential(int size, long seed, int steps) {
    ReplayWindow span = new ReplayWindow(size);
    FullRing reference = new FullRing(size);
    Random random = new Random(seed);
    long top = -1;
    List<Long> accepted = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      if (random.nextInt(2000) == 0) {
        // A run in order long enough for every hole to leave the window.
        for (int k = size + random.nextInt(130) - 65; k > 0; k--) {
          top++;
          assertEquals(reference.mark(top), span.markIfNew(top), "run, seed " + seed + " step " + i);
          assertTrue(reference.top == top && span.highest() == top);
        }
        assertEquals(reference.oldestHole() >= 0, span.holdsBitmap(), "after a run, seed " + seed);
      }
      long c = next(random, size, top, accepted);
      String where = "seed " + seed + " size " + size + " step " + i + " counter " + c + " highest " + top;
      if (random.nextInt(4) == 0) {
        long probe = next(random, size, top, accepted);
        assertEquals(reference.check(probe), span.check(probe), "check " + probe + ", " + where);
      }
      boolean expected = reference.check(c);
      assertEquals(expected, span.check(c), "check, " + where);
      assertEquals(expected, reference.mark(c), where);
      assertEquals(expected, span.markIfNew(c), "markIfNew, " + where);
      if (random.nextInt(8) == 0) {
        assertEquals(reference.mark(c), span.markIfNew(c), "replayed at once, " + where);
      }
      if (expected) {
        accepted.add(c);
        if (accepted.size() > 256) {
          accepted.remove(random.nextInt(accepted.size()));
        }
        top = Math.max(top, c);
      }
      assertEquals(reference.top, span.highest(), where);
      assertEquals(span.heldWords() > 0, span.holdsBitmap(), where);
      if (i % 16 == 0) {
        assertSpanFitsTheHoles(span, reference, size, where);
      }
    }
  }

  /** The array covers the oldest hole's word up to the highest's, and is not much longer. */
  private static void assertSpanFitsTheHoles(ReplayWindow span, FullRing reference, int size, String where) {
    long hole = reference.oldestHole();
    if (hole < 0) {
      assertEquals(0, span.heldWords(), "no hole, no array, " + where);
      return;
    }
    long words = (reference.top >>> 6) - (hole >>> 6) + 1;
    long power = Long.highestOneBit(words) < words ? Long.highestOneBit(words) << 1 : words;
    assertTrue(span.heldWords() >= words, "span of " + words + " in " + span.heldWords() + ", " + where);
    assertTrue(span.heldWords() <= Math.min(size / 64 + 1, 4 * power - 1),
        "span of " + words + " in " + span.heldWords() + ", " + where);
  }

  /** A counter from a mixture of the cases a replay window meets, the window's edges included. */
  private static long next(Random random, int size, long top, List<Long> accepted) {
    long t = Math.max(top, 0);
    int pick = random.nextInt(100);
    if (pick < 35) {
      return top + 1;                                            // in order
    } else if (pick < 45) {
      return top + 2 + random.nextInt(6);                        // a few skipped (reordering)
    } else if (pick < 60) {
      return Math.max(0, t - random.nextInt(80));                // late by a little, or a replay
    } else if (pick < 68) {
      return accepted.isEmpty() ? 0 : accepted.get(random.nextInt(accepted.size()));  // replay
    } else if (pick < 73) {
      return t - size + random.nextInt(5) - 1;                   // at the window's lower edge
    } else if (pick < 77) {
      return t + size + random.nextInt(5) - 2;                   // a jump of about the window
    } else if (pick < 79) {
      return t + size + 1 + random.nextInt(3 * size);            // a jump past the window
    } else if (pick < 84) {
      return t + 1 + random.nextInt(size);                       // a skip inside the window
    } else if (pick < 88) {
      return Math.max(0, t - random.nextInt(size + 64));         // anywhere in the window
    } else if (pick < 92) {
      long word = (t >>> 6) + random.nextInt(5) - 2;             // at a word's edges
      return Math.max(0, word * 64 + (random.nextBoolean() ? 0 : 63) + random.nextInt(3) - 1);
    } else if (pick < 95) {
      return random.nextInt(100);                                // counters from 0
    } else {
      return -1 - random.nextInt(3);                             // never valid
    }
  }
}
