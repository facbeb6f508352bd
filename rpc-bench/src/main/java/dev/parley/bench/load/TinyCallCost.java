package dev.parley.bench.load;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Bytes allocated per tiny call ({@code add(1, 2)}, one caller), client and server threads together,
 * per contender, in rounds that alternate the contenders: a measure of a call's work that, unlike
 * calls per second, hardly moves when the machine is shared. Used to show what the interceptor
 * and deadline mechanisms add to a tiny call (docs/OPERATIONS.md "What it costs"). It uses only
 * {@link Contenders}, {@link Endpoint} and HotSpot's per-thread allocation counters, so it also runs
 * against an older build's jar (put this class's directory first on the class path).
 *
 * <pre>
 * java -cp rpc-bench/target-bench/benchmarks.jar dev.parley.bench.load.TinyCallCost plain,plain-intercepted 5 20000
 * </pre>
 */
public final class TinyCallCost {
  private TinyCallCost() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    List<String> contenders = List.of((args.length > 0 ? args[0] : "plain,encrypted").split(","));
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int calls = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
    if (rounds < 1 || rounds > 50 || calls < 100 || calls > 10_000_000) {
      throw new IllegalArgumentException("rounds must be 1 to 50 and calls 100 to 10 000 000");
    }
    try (Contenders running = new Contenders(new LinkedHashSet<>(contenders))) {
      for (String key : contenders) {
        Endpoint endpoint = running.endpoints.get(key);
        for (int i = 0; i < calls; i++) {   // warm-up: the JIT compiles the path
          endpoint.add(1, 2);
        }
      }
      System.out.println("| round | contender | bytes allocated per call | µs per call (wall, noisy) |");
      System.out.println("| ---: | --- | ---: | ---: |");
      for (int round = 1; round <= rounds; round++) {
        for (int k = 0; k < contenders.size(); k++) {
          String key = contenders.get((k + round) % contenders.size());
          Endpoint endpoint = running.endpoints.get(key);
          Map<Long, Long> before = allocated();
          long start = System.nanoTime();
          for (int i = 0; i < calls; i++) {
            if (endpoint.add(1, 2) != 3) {
              throw new IllegalStateException("add(1, 2) != 3 for " + key);
            }
          }
          long nanos = System.nanoTime() - start;
          Map<Long, Long> after = allocated();
          long bytes = 0;
          for (Map.Entry<Long, Long> e : after.entrySet()) {
            bytes += e.getValue() - before.getOrDefault(e.getKey(), 0L);
          }
          System.out.printf("| %d | %s | %.0f | %.1f |%n", round, key, (double) bytes / calls, nanos / 1e3 / calls);
        }
      }
    }
  }

  private static Map<Long, Long> allocated() {
    return AllocationPerCall.snapshot((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean());
  }
}
