package dev.parley.bench.load;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one cell: {@code callers} platform threads calling one endpoint in a closed loop, a warm-up
 * (not counted), then a measured window. Bounded in time (the window, then a join deadline) and in
 * count (at most {@code maxCalls} measured calls in all, at most 1 000 errors per thread).
 */
final class CellRunner {
  private CellRunner() {}

  /** One cell's outcome. Latencies in microseconds. */
  record Result(double callsPerSecond, double p50, double p99, long calls, long errors, String firstError) {}

  static Result run(Endpoint endpoint, Payload payload, int callers, double warmupSeconds, double cellSeconds,
      long maxCalls) throws InterruptedException {
    int perThreadCap = (int) Math.max(100, Math.min(Integer.MAX_VALUE - 8, maxCalls / callers));
    Worker[] workers = new Worker[callers];
    Thread[] threads = new Thread[callers];
    Start start = new Start(callers);
    for (int i = 0; i < callers; i++) {
      workers[i] = new Worker(endpoint, payload, perThreadCap, start);
      threads[i] = new Thread(workers[i], "bench-caller-" + i);
      threads[i].setDaemon(true);
      threads[i].start();
    }
    start.ready.await();
    start.warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
    start.end = start.warmEnd + (long) (cellSeconds * 1e9);
    start.go.countDown();   // the latch publishes warmEnd and end to the workers
    long joinDeadline = start.end + 60_000_000_000L;
    long hung = 0;
    for (Thread thread : threads) {
      long left = (joinDeadline - System.nanoTime()) / 1_000_000;
      thread.join(Math.max(1, left));
      if (thread.isAlive()) {
        hung++;
        thread.interrupt();
      }
    }
    long total = 0;
    long errors = hung;
    long lastFinish = start.warmEnd;
    String firstError = hung > 0 ? hung + " caller(s) still blocked 60 s after the window" : null;
    for (Worker w : workers) {
      total += w.count;
      errors += w.errors;
      lastFinish = Math.max(lastFinish, w.finish);
      if (firstError == null && w.firstError != null) {
        firstError = w.firstError;
      }
    }
    long[] all = new long[(int) total];
    int at = 0;
    for (Worker w : workers) {
      System.arraycopy(w.latencies, 0, all, at, w.count);
      at += w.count;
    }
    Arrays.sort(all);
    boolean capped = false;
    for (Worker w : workers) {
      capped |= w.count >= perThreadCap;
    }
    // The full window, unless a caller stopped early at its call cap.
    double window = (capped ? Math.min(start.end, lastFinish) : start.end) - start.warmEnd;
    double rate = window > 0 ? total / (window / 1e9) : 0;
    return new Result(rate, percentile(all, 0.50), percentile(all, 0.99), total, errors, firstError);
  }

  private static double percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1000.0;
  }

  /**
   * What the callers of a cell share: {@code ready} counts them down as they start, {@code go}
   * lets them all call at once and publishes the window's bounds ({@link System#nanoTime()}):
   * calls that complete before {@code warmEnd} are the warm-up, calls measured end at {@code end}.
   */
  private static final class Start {
    final CountDownLatch ready;
    final CountDownLatch go = new CountDownLatch(1);
    long warmEnd;
    long end;

    Start(int callers) {
      this.ready = new CountDownLatch(callers);
    }
  }

  private static final class Worker implements Runnable {
    private final Endpoint endpoint;
    private final Payload payload;
    private final int cap;
    private final Start start;
    long[] latencies = new long[1024];
    int count;
    long errors;
    long finish;
    String firstError;

    Worker(Endpoint endpoint, Payload payload, int cap, Start start) {
      this.endpoint = endpoint;
      this.payload = payload;
      this.cap = cap;
      this.start = start;
    }

    @Override
    public void run() {
      start.ready.countDown();
      try {
        start.go.await();
      } catch (InterruptedException e) {
        return;
      }
      long warmEnd = start.warmEnd;
      long end = start.end;
      // Closed loop: a call counts (rate and latency) when it completes inside [warmEnd, end],
      // wherever it started; the call in flight at the end is not counted.
      long calls = 0;
      while (count < cap && errors < 1000 && calls++ < 4L * cap && !Thread.currentThread().isInterrupted()) {
        long t0 = System.nanoTime();
        if (t0 >= end) {
          break;
        }
        boolean ok = call();
        long t1 = System.nanoTime();
        if (t1 > end) {
          break;
        }
        if (t1 < warmEnd) {
          errors = 0;
          firstError = null;
          continue;
        }
        if (ok) {
          if (count == latencies.length) {
            latencies = Arrays.copyOf(latencies, (int) Math.min(cap, 2L * count));
          }
          latencies[count++] = t1 - t0;
          finish = t1;
        }
      }
    }

    private boolean call() {
      try {
        if (payload.bytes() == null) {
          int sum = endpoint.add(1, 2);
          if (sum != 3) {
            throw new IllegalStateException("add(1, 2) answered " + sum);
          }
        } else {
          byte[] back = endpoint.echo(payload.bytes());
          byte[] sent = payload.bytes();
          if (back.length != sent.length || back[0] != sent[0] || back[back.length - 1] != sent[sent.length - 1]) {
            throw new IllegalStateException("echo answered other bytes");
          }
        }
        return true;
      } catch (Exception | AssertionError e) {
        errors++;
        if (firstError == null) {
          firstError = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        return false;
      }
    }
  }
}
