package dev.parley.bench.load;

import dev.parley.client.ClientModule;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.OkHttpClient;

/**
 * Session set-ups per second, 8 concurrent clients, each set-up followed by one add call:
 * <ul>
 *   <li><b>parley</b>: a new encrypted {@link ClientModule} each time (msg1–msg4 then one sealed
 *       call) over one shared OkHttp client, so the TCP connections are pooled: this is the cost of
 *       Parley's handshake alone;</li>
 *   <li><b>tls</b>: a new OkHttp client with a new {@code SSLContext} (nothing to resume) and a new
 *       connection pool each time, so every call makes a new TCP connection and a full TLS 1.3
 *       handshake (ECDHE x25519 + ECDSA P-256) before a plain Parley call over HTTPS.</li>
 * </ul>
 * Bounded by time and by count (at most {@code maxPerThread} set-ups per thread and side).
 */
final class HandshakeRate {
  private HandshakeRate() {}

  record Result(double perSecond, long errors, String firstError) {}

  static Result parley(Contenders contenders, double seconds, int threads, long maxPerThread) throws Exception {
    OkHttpClient shared = HttpClients.base().build();
    try {
      return run(seconds, threads, maxPerThread, () -> {
        try (ClientModule module = contenders.encryptedClient(contenders.encryptedUrl).okHttpClient(shared).build()) {
          check(new BenchApiClient(module).add(1, 2));
        }
      });
    } finally {
      shared.connectionPool().evictAll();
    }
  }

  static Result tls(Contenders contenders, double seconds, int threads, long maxPerThread) throws Exception {
    return run(seconds, threads, maxPerThread, () -> {
      OkHttpClient fresh = HttpClients.tls(HttpClients.base(), contenders.tls).build();
      try (ClientModule module = ClientModule.builder(contenders.httpsUrl).okHttpClient(fresh).build()) {
        check(new BenchApiClient(module).add(1, 2));
      } finally {
        fresh.connectionPool().evictAll();
      }
    });
  }

  private static void check(int sum) {
    if (sum != 3) {
      throw new IllegalStateException("add(1, 2) answered " + sum);
    }
  }

  interface SetUp {
    void once() throws Exception;
  }

  private static Result run(double seconds, int threads, long maxPerThread, SetUp setUp) throws Exception {
    AtomicLong done = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    String[] firstError = new String[1];
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    Thread[] workers = new Thread[threads];
    long[] finish = new long[threads];
    for (int i = 0; i < threads; i++) {
      int index = i;
      workers[i] = new Thread(() -> {
        for (long n = 0; n < maxPerThread && System.nanoTime() < end && errors.get() < 1000; n++) {
          try {
            setUp.once();
            if (System.nanoTime() <= end) {
              done.incrementAndGet();
              finish[index] = System.nanoTime();
            }
          } catch (Exception e) {
            errors.incrementAndGet();
            synchronized (firstError) {
              if (firstError[0] == null) {
                firstError[0] = e.getClass().getSimpleName() + ": " + e.getMessage();
              }
            }
          }
        }
      }, "bench-handshake-" + i);
      workers[i].setDaemon(true);
      workers[i].start();
    }
    long last = start;
    for (int i = 0; i < threads; i++) {
      workers[i].join((long) (seconds * 1000) + 60_000);
      if (workers[i].isAlive()) {
        errors.incrementAndGet();
        workers[i].interrupt();
      }
      last = Math.max(last, finish[i]);
    }
    double window = Math.min(end, Math.max(last, start + 1)) - start;
    return new Result(done.get() / (window / 1e9), errors.get(), firstError[0]);
  }
}
