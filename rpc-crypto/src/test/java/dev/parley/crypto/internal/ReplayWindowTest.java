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
      reset();
      Set<Long> seen = new HashSet<>();
      long highest = -1;
      long base = 0;
      for (int i = 0; i < 5000; i++) {
        int pick = random.nextInt(10);
        long c;
        if (pick < 6) {
          c = Math.max(0, base + random.nextInt(2 * W) - W);  // around the front, both sides of the edge
        } else if (pick < 8) {
          c = highest < 0 ? 0 : Math.max(0, highest - W + random.nextInt(3) - 1); // the edge itself
        } else {
          base += random.nextInt(3 * W);                     // move forward, sometimes past a whole ring
          c = base;
        }
        boolean expected = c > highest || (highest - c < W && !seen.contains(c));
        assertEquals(expected, window.markIfNew(c), "round " + round + " step " + i + " counter " + c + " highest " + highest);
        if (expected) {
          seen.add(c);
          highest = Math.max(highest, c);
        }
        assertBitmapHeldExactlyWhileTheWindowHasHoles(seen, highest, i);
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
      reset();
      Set<Long> seen = new HashSet<>();
      long highest = -1;
      for (int i = 0; i < 5_000; i++) {
        int pick = random.nextInt(100);
        long c;
        if (pick < 80) {
          c = highest + 1;                                        // in order
        } else if (pick < 85) {
          c = highest + 2 + random.nextInt(3 * W);               // a skip, sometimes past the window
        } else if (pick < 99) {
          c = Math.max(0, highest - random.nextInt(W + 2));      // late or replayed, near the edge too
        } else {
          for (int k = 0; k < W + 10; k++) {                     // a run long enough to drop the bitmap
            long n = highest + 1;
            assertTrue(window.markIfNew(n));
            seen.add(n);
            highest = n;
          }
          c = highest + 1;
        }
        boolean expected = c > highest || (highest - c < W && !seen.contains(c));
        assertEquals(expected, window.check(c), "check, round " + round + " step " + i + " counter " + c);
        assertEquals(expected, window.markIfNew(c), "round " + round + " step " + i + " counter " + c + " highest " + highest);
        if (expected) {
          seen.add(c);
          highest = Math.max(highest, c);
        }
        assertBitmapHeldExactlyWhileTheWindowHasHoles(seen, highest, i);
      }
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
    int threads = 8;
    int counters = W; // all within one window, so order does not matter
    AtomicIntegerArray accepted = new AtomicIntegerArray(counters);
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        List<Long> order = new ArrayList<>();
        for (long c = 0; c < counters; c++) {
          order.add(c);
        }
        Collections.shuffle(order, new Random(t));
        futures.add(pool.submit(() -> {
          start.await();
          for (long c : order) {
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
    for (int c = 0; c < counters; c++) {
      assertEquals(1, accepted.get(c), "counter " + c);
    }
    assertEquals(counters - 1, window.highest());
  }

  @Test
  void aSlidingWindowUnderConcurrencyNeverAcceptsACounterTwice() throws Exception {
    int threads = 8;
    int counters = 4 * W;
    AtomicIntegerArray accepted = new AtomicIntegerArray(counters);
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Random random = new Random(100 + t);
        futures.add(pool.submit(() -> {
          start.await();
          for (int c = 0; c < counters; c++) {
            int jittered = Math.max(0, Math.min(counters - 1, c + random.nextInt(64) - 32));
            if (window.markIfNew(jittered)) {
              accepted.incrementAndGet(jittered);
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
    for (int c = 0; c < counters; c++) {
      assertTrue(accepted.get(c) <= 1, "counter " + c + " accepted " + accepted.get(c) + " times");
    }
  }
}
