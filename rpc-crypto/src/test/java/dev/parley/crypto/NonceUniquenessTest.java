package dev.parley.crypto;

import static dev.parley.crypto.FrameFixtures.KIB64;
import static dev.parley.crypto.FrameFixtures.METHOD;
import static dev.parley.crypto.FrameFixtures.ROUTE;
import static dev.parley.crypto.FrameFixtures.assertRequestRejected;
import static dev.parley.crypto.FrameFixtures.openRequest;
import static dev.parley.crypto.FrameFixtures.openResponse;
import static dev.parley.crypto.FrameFixtures.sealResponse;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.crypto.CryptoException.Reason;
import dev.parley.crypto.internal.channel.Limits;
import dev.parley.crypto.internal.channel.NonceObserver;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Many threads sealing and opening on one channel: no (key, nonce) pair is ever used twice and
 * every frame opens exactly once (PROTOCOL.md §10.3, §11, §12).
 */
class NonceUniquenessTest {
  private static final int THREADS = 8;
  private static final int FRAMES_PER_THREAD = 100;
  private static final int[] SIZES = {0, 1, 100, 3000, KIB64 + 1, 17, 500, 2};

  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final AtomicInteger reuses = new AtomicInteger();
  private final AtomicInteger sealedChunks = new AtomicInteger();
  private final NonceObserver recorder = (direction, epoch, nonce) -> {
    sealedChunks.incrementAndGet();
    if (!seen.add(direction + "/" + epoch + "/" + HexFormat.of().formatHex(nonce))) {
      reuses.incrementAndGet();
    }
  };

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  private static int size(int i) {
    return SIZES[i % SIZES.length];
  }

  private static int chunks(int size) {
    return size == 0 ? 1 : (size + KIB64 - 1) / KIB64;
  }

  /** Runs {@code task(thread, i)} for every frame from all threads at once; returns the results. */
  private <T> List<T> concurrently(Task<T> task) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<List<T>>> futures = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      Callable<List<T>> c = () -> {
        start.await();
        List<T> out = new ArrayList<>();
        for (int i = 0; i < FRAMES_PER_THREAD; i++) {
          out.add(task.run(thread, i));
        }
        return out;
      };
      futures.add(pool.submit(c));
    }
    start.countDown();
    List<T> all = new ArrayList<>();
    for (Future<List<T>> f : futures) {
      all.addAll(f.get());
    }
    return all;
  }

  @FunctionalInterface
  private interface Task<T> {
    T run(int thread, int i) throws Exception;
  }

  private record Frame(long counter, int epoch, int size, byte[] bytes) {}

  @Test
  void concurrentRequestsNeverReuseAKeyNoncePairAcrossEpochRatchets() throws Exception {
    // 20 frames per epoch: the 800 frames cross about 40 ratchets while threads race.
    FrameFixtures.Pair p = FrameFixtures.pair(FrameFixtures.randomKeys(), new Limits(20, 1L << 36, 1L << 32, 0xFFFF, 4096),
        recorder);
    List<Frame> frames = concurrently((thread, i) -> {
      int size = size(thread + i);
      ClientChannel.Sealed s = p.client().sealRequest(METHOD, ROUTE, FrameFixtures.body(size));
      return new Frame(s.counter(), ByteBuffer.wrap(s.frame()).getInt(1), size, s.frame());
    });
    assertEquals(0, reuses.get(), "a (key, nonce) pair was used twice");
    assertEquals(frames.stream().mapToInt(f -> chunks(f.size())).sum(), sealedChunks.get());
    assertEquals(THREADS * FRAMES_PER_THREAD, frames.stream().mapToLong(Frame::counter).distinct().count());
    assertTrue(p.client().sendEpoch() >= 30, "the test must cross many epochs");

    // The server opens them in epoch order (as they would arrive), each exactly once.
    frames.sort(Comparator.comparingInt(Frame::epoch).thenComparingLong(Frame::counter));
    for (Frame f : frames) {
      FrameFixtures.Opened o = openRequest(p.server(), f.bytes(), METHOD, ROUTE);
      assertEquals(f.counter(), o.counter());
      assertArrayEquals(FrameFixtures.body(f.size()), o.body());
    }
    for (Frame f : frames.subList(frames.size() - 50, frames.size())) {
      assertEquals(Reason.REPLAY, assertRequestRejected(p.server(), f.bytes()).reason());
    }
  }

  @Test
  void concurrentResponsesNeverReuseAKeyNoncePair() throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair(FrameFixtures.randomKeys(), new Limits(25, 1L << 36, 1L << 32, 0xFFFF, 4096),
        recorder);
    List<Frame> responses = concurrently((thread, i) -> {
      int size = size(thread * 7 + i);
      byte[] r = sealResponse(p.server(), thread * FRAMES_PER_THREAD + i, 200, METHOD, ROUTE, FrameFixtures.body(size));
      return new Frame(thread * FRAMES_PER_THREAD + i, ByteBuffer.wrap(r).getInt(1), size, r);
    });
    assertEquals(0, reuses.get(), "a (key, nonce) pair was used twice");
    assertEquals(responses.stream().mapToInt(f -> chunks(f.size())).sum(), sealedChunks.get());
    responses.sort(Comparator.comparingInt(Frame::epoch));
    for (Frame f : responses) {
      assertArrayEquals(FrameFixtures.body(f.size()), openResponse(p.client(), f.bytes(), f.counter(), 200, METHOD, ROUTE));
    }
  }

  @Test
  void concurrentOpensOfEveryFrameSentTwiceAcceptEachExactlyOnce() throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair(FrameFixtures.randomKeys(), Limits.DEFAULT, recorder);
    List<ClientChannel.Sealed> sealed = concurrently(
        (thread, i) -> p.client().sealRequest(METHOD, ROUTE, FrameFixtures.body(size(thread + i) % 5000)));
    assertEquals(0, reuses.get());
    List<byte[]> deliveries = new ArrayList<>();
    for (ClientChannel.Sealed s : sealed) {
      deliveries.add(s.frame());
      deliveries.add(s.frame().clone());
    }
    Collections.shuffle(deliveries, new java.util.Random(7));
    AtomicInteger next = new AtomicInteger();
    Set<Long> accepted = ConcurrentHashMap.newKeySet();
    AtomicInteger doubleAccepts = new AtomicInteger();
    AtomicInteger replays = new AtomicInteger();
    concurrently((thread, i) -> {
      for (int k = 0; k < 2; k++) {   // 2 deliveries per task: THREADS * FRAMES_PER_THREAD * 2 in all
        byte[] f = deliveries.get(next.getAndIncrement());
        try {
          if (!accepted.add(openRequest(p.server(), f, METHOD, ROUTE).counter())) {
            doubleAccepts.incrementAndGet();
          }
        } catch (CryptoException e) {
          if (e.reason() == Reason.REPLAY) {
            replays.incrementAndGet();
          }
        }
      }
      return null;
    });
    assertEquals(0, doubleAccepts.get());
    assertEquals(sealed.size(), accepted.size());
    assertEquals(sealed.size(), replays.get());
  }
}
