package dev.parley.bench.load;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Live heap held by one in-flight 1 MiB echo call (the target in docs/BENCHMARKS.md "Heap": peak
 * heap per in-flight call not above 3 × the body size), client and server in one JVM. One caller thread repeats the call
 * while the main thread, at random moments, stops the world with a full GC ({@code System.gc()},
 * which G1 runs as a full, compacting collection) and reads the used heap: what is live then,
 * minus the same figure with no call in flight, is what the call holds at that moment. Many
 * samples land in every phase of a call (client serialising, sealing, writing; server reading,
 * opening, parsing, answering; client reading, opening, decoding), so the largest sample
 * approaches the call's peak from below; it is a sampled peak, not a proven maximum.
 *
 * <pre>
 * java -cp rpc-bench/target-bench/benchmarks.jar dev.parley.bench.load.HeapPerCall raw,plain,encrypted,https 80
 * </pre>
 */
public final class HeapPerCall {
  private static final int BODY = 1024 * 1024;

  private HeapPerCall() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    List<String> contenders = List.of((args.length > 0 ? args[0] : "raw,plain,encrypted,https").split(","));
    int samples = args.length > 1 ? Integer.parseInt(args[1]) : 80;
    if (samples < 5 || samples > 10_000) {
      throw new IllegalArgumentException("samples must be 5 to 10 000, was " + samples);
    }
    Payload payload = Payload.parse("1m");
    try (Contenders running = new Contenders(new LinkedHashSet<>(contenders))) {
      System.out.println("| contender | samples | calls | live heap per in-flight 1 MiB call: median | p90 | max (sampled peak) | max / body |");
      System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
      for (String key : contenders) {
        Endpoint endpoint = running.endpoints.get(key);
        if (endpoint == null) {
          throw new IllegalArgumentException("unknown contender " + key);
        }
        measure(key, endpoint, payload, samples);
      }
    }
  }

  private static void measure(String key, Endpoint endpoint, Payload payload, int samples) throws Exception {
    long warmEnd = System.nanoTime() + 4_000_000_000L;
    while (System.nanoTime() < warmEnd) {
      endpoint.echo(payload.bytes());
    }
    long idle = usedAfterFullGc();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong calls = new AtomicLong();
    AtomicReference<Exception> failure = new AtomicReference<>();
    Thread caller = new Thread(() -> {
      try {
        while (!stop.get()) {
          byte[] back = endpoint.echo(payload.bytes());
          if (back.length != BODY) {
            throw new IllegalStateException("echo answered " + back.length + " bytes");
          }
          calls.incrementAndGet();
        }
      } catch (Exception e) {
        failure.set(e);
      }
    }, "heap-caller");
    caller.start();
    long[] live = new long[samples];
    try {
      for (int i = 0; i < samples; i++) {
        // A random moment within a call's life (a 1 MiB call takes 15-25 ms here): spacing the
        // samples, not synchronising anything.
        Thread.sleep(ThreadLocalRandom.current().nextInt(3, 30));
        live[i] = usedAfterFullGc() - idle;
      }
    } finally {
      stop.set(true);
      caller.join(120_000);
    }
    if (failure.get() != null) {
      throw new IllegalStateException(key + ": a call failed", failure.get());
    }
    Arrays.sort(live);
    long median = live[samples / 2];
    long p90 = live[(int) (samples * 0.9)];
    long max = live[samples - 1];
    System.out.printf(Locale.ROOT, "| `%s` | %d | %d | %,d | %,d | %,d | %.2f |%n", key, samples, calls.get(),
        median, p90, max, (double) max / BODY);
  }

  private static long usedAfterFullGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
