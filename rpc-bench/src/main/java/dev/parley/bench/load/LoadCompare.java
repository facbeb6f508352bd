package dev.parley.bench.load;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The load comparison (docs/BENCHMARKS.md "The targets"), in one JVM and one run: every contender ({@link Contenders#ALL})
 * serves the same {@link BenchApi} on 127.0.0.1; rounds alternate over payload × callers ×
 * contender (the contender order rotates each round); then the handshake comparison. Prints a
 * Markdown report and writes it to a file. Stops by itself: every cell is bounded in time and calls.
 *
 * <pre>
 * java -cp rpc-bench/target-bench/benchmarks.jar dev.parley.bench.load.LoadCompare --quick
 * java -cp rpc-bench/target-bench/benchmarks.jar dev.parley.bench.load.LoadCompare \
 *     --rounds 3 --cell-seconds 3 --warmup-seconds 1 --out load-full.md
 * </pre>
 */
public final class LoadCompare {
  private LoadCompare() {}

  private static final String USAGE = String.join("\n",
      "usage: LoadCompare [--quick] [--rounds N] [--cell-seconds S] [--warmup-seconds S] [--max-calls N]",
      "                   [--contenders a,b,...] [--payloads tiny,64k,1m] [--callers 1,8,64]",
      "                   [--handshake-seconds S] [--no-handshakes] [--jit-warmup-seconds S] [--out FILE]",
      "  defaults: 3 rounds, 3 s cells after 1 s warm-up, at most 1 000 000 calls per cell,",
      "            5 s per handshake measurement, 6 s of tiny calls (then 3 s per payload) per contender",
      "            to warm the JIT first; --quick: 1 round, 1 s cells, 0.3 s warm-up, 2 s handshakes, 3 s JIT",
      "  contenders: " + String.join(",", Contenders.ALL.keySet()) + " (default: all of these);",
      "  experiments, only when named: " + String.join(",", Contenders.EXTRA.keySet()));

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    int rounds = 3;
    double cellSeconds = 3;
    double warmupSeconds = 1;
    double handshakeSeconds = 5;
    double jitSeconds = 6;
    long maxCalls = 1_000_000;
    boolean handshakes = true;
    Set<String> contenders = new LinkedHashSet<>(Contenders.ALL.keySet());
    List<String> payloads = List.of("tiny", "64k", "1m");
    List<Integer> callers = List.of(1, 8, 64);
    Path out = Path.of("load-comparison.md");
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--quick" -> {
          rounds = 1;
          cellSeconds = 1;
          warmupSeconds = 0.3;
          handshakeSeconds = 2;
          jitSeconds = 3;
        }
        case "--jit-warmup-seconds" -> jitSeconds = Double.parseDouble(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--cell-seconds" -> cellSeconds = Double.parseDouble(args[++i]);
        case "--warmup-seconds" -> warmupSeconds = Double.parseDouble(args[++i]);
        case "--handshake-seconds" -> handshakeSeconds = Double.parseDouble(args[++i]);
        case "--max-calls" -> maxCalls = Long.parseLong(args[++i]);
        case "--no-handshakes" -> handshakes = false;
        case "--contenders" -> {
          contenders = new LinkedHashSet<>(Arrays.asList(args[++i].split(",")));
          for (String c : contenders) {
            if (!Contenders.ALL.containsKey(c) && !Contenders.EXTRA.containsKey(c)) {
              fail("unknown contender " + c);
            }
          }
        }
        case "--payloads" -> payloads = Arrays.asList(args[++i].split(","));
        case "--callers" -> callers = Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
        case "--out" -> out = Path.of(args[++i]);
        case "-h", "--help" -> {
          System.out.println(USAGE);
          return;
        }
        default -> fail("unknown option " + a);
      }
    }
    if (rounds < 1 || rounds > 20 || cellSeconds <= 0 || cellSeconds > 60 || warmupSeconds < 0
        || warmupSeconds > 60 || handshakeSeconds <= 0 || handshakeSeconds > 60 || maxCalls < 100 || jitSeconds < 0 || jitSeconds > 120) {
      fail("rounds 1..20, cell and handshake seconds in (0, 60], warm-up [0, 60], max-calls >= 100");
    }
    List<Payload> payloadList = payloads.stream().map(Payload::parse).toList();
    String command = "LoadCompare " + String.join(" ", args);
    Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    Map<String, List<CellRunner.Result>> results = new HashMap<>();
    List<HandshakeRate.Result> parleyHs = new ArrayList<>();
    List<HandshakeRate.Result> tlsHs = new ArrayList<>();
    Map<String, AllocationPerCall.Result> allocations = new java.util.LinkedHashMap<>();
    try (Contenders running = new Contenders(contenders)) {
      List<String> order = new ArrayList<>(running.endpoints.keySet());
      // JIT warm-up of every contender, not measured: tiny calls for the whole time (C2 must compile
      // the callers of AES-GCM before HotSpot uses its intrinsics, BENCHMARKS.md), then each payload
      // for half of it.
      for (String c : order) {
        progress("JIT warm-up " + c);
        CellRunner.run(running.endpoints.get(c), Payload.parse("tiny"), 8, 0, jitSeconds, maxCalls);
        for (Payload p : payloadList) {
          if (p.bytes() != null) {
            CellRunner.run(running.endpoints.get(c), p, 8, 0, jitSeconds / 2, maxCalls);
          }
        }
      }
      for (int round = 0; round < rounds; round++) {
        for (Payload p : payloadList) {
          for (int n : callers) {
            for (int k = 0; k < order.size(); k++) {
              String c = order.get((k + round) % order.size());
              // 1 MiB calls take up to ~1 s at 64 callers here: give their cells at least 3 s.
              double seconds = p.name().equals("1m") ? Math.max(3, cellSeconds) : cellSeconds;
              CellRunner.Result r = CellRunner.run(running.endpoints.get(c), p, n, warmupSeconds, seconds, maxCalls);
              results.computeIfAbsent(key(c, p.name(), n), x -> new ArrayList<>()).add(r);
              progress(String.format(Locale.ROOT, "round %d %-4s %2d callers %-16s %,10.0f calls/s  p50 %,9.0f µs  p99 %,9.0f µs  errors %d%s",
                  round + 1, p.name(), n, c, r.callsPerSecond(), r.p50(), r.p99(), r.errors(),
                  r.firstError() == null ? "" : " (" + r.firstError() + ")"));
            }
          }
        }
        if (handshakes) {
          HandshakeRate.Result a;
          HandshakeRate.Result b;
          if (round % 2 == 0) {
            a = HandshakeRate.parley(running, handshakeSeconds, 8, 1_000_000);
            b = HandshakeRate.tls(running, handshakeSeconds, 8, 1_000_000);
          } else {
            b = HandshakeRate.tls(running, handshakeSeconds, 8, 1_000_000);
            a = HandshakeRate.parley(running, handshakeSeconds, 8, 1_000_000);
          }
          parleyHs.add(a);
          tlsHs.add(b);
          progress(String.format(Locale.ROOT, "round %d handshakes: parley %,.0f/s (errors %d%s), TLS 1.3 %,.0f/s (errors %d%s)",
              round + 1, a.perSecond(), a.errors(), a.firstError() == null ? "" : " " + a.firstError(),
              b.perSecond(), b.errors(), b.firstError() == null ? "" : " " + b.firstError()));
        }
      }
      // Allocation per 1 MiB call (one caller, 30 calls, at most 20 s each).
      if (payloads.contains("1m")) {
        for (String c : List.of("raw", "plain", "encrypted", "https")) {
          if (running.endpoints.containsKey(c)) {
            AllocationPerCall.Result a = AllocationPerCall.measure(running.endpoints.get(c), Payload.parse("1m"), 30, 20);
            allocations.put(c, a);
            progress(String.format(Locale.ROOT, "allocated per 1 MiB call, %s: caller thread %,.0f B, other threads %,.0f B (%d calls)",
                c, a.callerBytesPerCall(), a.otherBytesPerCall(), a.calls()));
          }
        }
      }
    }
    String report = Report.markdown(command, started, rounds, cellSeconds, warmupSeconds, jitSeconds, handshakeSeconds,
        maxCalls,
        new ArrayList<>(contenders), payloads, callers, results, parleyHs, tlsHs, allocations);
    System.out.println(report);
    Files.writeString(out, report, StandardCharsets.UTF_8);
    System.err.println("written to " + out.toAbsolutePath());
    System.exit(0);   // gRPC and OkHttp keep non-daemon threads for a while; the run is over
  }

  static String key(String contender, String payload, int callers) {
    return contender + "|" + payload + "|" + callers;
  }

  private static void progress(String line) {
    System.err.println(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + line);
  }

  private static void fail(String message) {
    System.err.println(message);
    System.err.println(USAGE);
    System.exit(2);
  }

  static String machine() {
    return Runtime.getRuntime().availableProcessors() + " CPUs, " + System.getProperty("java.vm.name") + " "
        + System.getProperty("java.runtime.version") + ", " + System.getProperty("os.name") + " "
        + System.getProperty("os.version") + ", max heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB, load average "
        + String.format(Locale.ROOT, "%.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

}
