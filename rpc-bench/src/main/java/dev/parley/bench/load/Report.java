package dev.parley.bench.load;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The Markdown report of a {@link LoadCompare} run: medians over rounds, and the ratios. */
final class Report {
  private Report() {}

  static String markdown(String command, Instant started, int rounds, double cellSeconds, double warmupSeconds,
      double jitSeconds, double handshakeSeconds, long maxCalls, List<String> contenders, List<String> payloads, List<Integer> callers,
      Map<String, List<CellRunner.Result>> results, List<HandshakeRate.Result> parleyHs,
      List<HandshakeRate.Result> tlsHs, Map<String, AllocationPerCall.Result> allocations) {
    StringBuilder s = new StringBuilder();
    s.append("## Load comparison, ").append(started).append("\n\n");
    s.append("`").append(command).append("` — ").append(LoadCompare.machine()).append(" (at the end of the run).  \n");
    s.append(String.format(Locale.ROOT, "JIT warm-up %.1f s per contender; %d round(s), %.1f s per cell (1 MiB: at least 3 s)"
        + " after %.1f s warm-up, at most %,d calls per cell; closed-loop blocking callers; every figure is the median over rounds;"
        + " latencies in µs.%n%n", jitSeconds, rounds, cellSeconds, warmupSeconds, maxCalls));
    s.append("| contender | what |\n| --- | --- |\n");
    for (String c : contenders) {
      s.append("| `").append(c).append("` | ").append(Contenders.ALL.getOrDefault(c, Contenders.EXTRA.get(c))).append(" |\n");
    }
    for (String p : payloads) {
      s.append("\n### ").append(p.equals("tiny") ? "tiny: add(1, 2)" : "echo " + (p.equals("64k") ? "64 KiB" : "1 MiB"))
          .append("\n\n| contender |");
      for (int n : callers) {
        s.append(" ").append(n).append(n == 1 ? " caller" : " callers").append(" calls/s | p50 | p99 |");
      }
      s.append(" errors |\n| --- |");
      for (int i = 0; i < callers.size(); i++) {
        s.append(" ---: | ---: | ---: |");
      }
      s.append(" ---: |\n");
      for (String c : contenders) {
        s.append("| `").append(c).append("` |");
        long errors = 0;
        for (int n : callers) {
          List<CellRunner.Result> r = results.get(LoadCompare.key(c, p, n));
          if (r == null) {
            s.append(" – | – | – |");
            continue;
          }
          s.append(" ").append(fmt(median(r, CellRunner.Result::callsPerSecond))).append(" | ")
              .append(fmt(median(r, CellRunner.Result::p50))).append(" | ")
              .append(fmt(median(r, CellRunner.Result::p99))).append(" |");
          errors += r.stream().mapToLong(CellRunner.Result::errors).sum();
        }
        s.append(" ").append(errors).append(" |\n");
      }
    }
    if (!parleyHs.isEmpty()) {
      s.append("\n### Session set-ups per second (8 concurrent clients, each set-up + one add call)\n\n");
      s.append("| Parley encrypted: new ClientModule, msg1–msg4, pooled TCP | TLS 1.3: new connection and full handshake,"
          + " no resumption | ratio | errors (Parley / TLS) |\n| ---: | ---: | ---: | --- |\n");
      double a = medianOf(parleyHs.stream().mapToDouble(HandshakeRate.Result::perSecond).toArray());
      double b = medianOf(tlsHs.stream().mapToDouble(HandshakeRate.Result::perSecond).toArray());
      s.append("| ").append(fmt(a)).append(" | ").append(fmt(b)).append(" | ").append(ratio(a / b)).append(" | ")
          .append(parleyHs.stream().mapToLong(HandshakeRate.Result::errors).sum()).append(" / ")
          .append(tlsHs.stream().mapToLong(HandshakeRate.Result::errors).sum()).append(" |\n");
    }
    s.append("\n### The issue's targets\n\n| ratio | measured | target | met |\n| --- | ---: | --- | --- |\n");
    Ratios t = new Ratios(results, s);
    t.rate("tiny, 8 callers: encrypted / plain", "encrypted", "plain", "tiny", 8, 0.95);
    t.rate("tiny, 8 callers: plain / raw", "plain", "raw", "tiny", 8, 0.85);
    t.rate("tiny, 8 callers: encrypted / HTTPS", "encrypted", "https", "tiny", 8, 1.2);
    t.rate("tiny, 8 callers: encrypted / gRPC TLS default", "encrypted", "grpc-tls", "tiny", 8, 1.5);
    t.rate("tiny, 8 callers: encrypted / gRPC TLS directExecutor", "encrypted", "grpc-tls-direct", "tiny", 8, 1.0);
    t.rate("tiny, 64 callers: encrypted (HTTP/1.1) / gRPC TLS directExecutor", "encrypted", "grpc-tls-direct", "tiny", 64, 1.0);
    t.rate("tiny, 64 callers: encrypted h2c / gRPC TLS directExecutor", "encrypted-h2c", "grpc-tls-direct", "tiny", 64, 1.0);
    // The same tiny-call targets with nonBlocking modules (functions on Jetty's I/O threads), when run.
    t.rateIfRun("tiny, 8 callers: encrypted-nb / plain-nb", "encrypted-nb", "plain-nb", "tiny", 8, 0.95);
    t.rateIfRun("tiny, 8 callers: plain-nb / raw", "plain-nb", "raw", "tiny", 8, 0.85);
    t.rateIfRun("tiny, 8 callers: encrypted-nb / HTTPS", "encrypted-nb", "https", "tiny", 8, 1.2);
    t.rateIfRun("tiny, 8 callers: encrypted-nb / HTTPS-nb", "encrypted-nb", "https-nb", "tiny", 8, 1.2);
    t.rateIfRun("tiny, 8 callers: encrypted-nb / gRPC TLS default", "encrypted-nb", "grpc-tls", "tiny", 8, 1.5);
    t.rateIfRun("tiny, 8 callers: encrypted-nb / gRPC TLS directExecutor", "encrypted-nb", "grpc-tls-direct", "tiny", 8, 1.0);
    t.rateIfRun("tiny, 64 callers: encrypted-nb / gRPC TLS directExecutor", "encrypted-nb", "grpc-tls-direct", "tiny", 64, 1.0);
    t.rateIfRun("tiny, 64 callers: encrypted-h2c-nb / gRPC TLS directExecutor", "encrypted-h2c-nb", "grpc-tls-direct", "tiny", 64, 1.0);
    for (int n : callers) {
      t.rate("64 KiB, " + n + " caller(s): encrypted / plain", "encrypted", "plain", "64k", n, 0.9);
    }
    t.p99("64 KiB, 1 caller: p99 encrypted / p99 plain", "encrypted", "plain", "64k", 1, 2.0);
    for (int n : callers) {
      t.rate("1 MiB, " + n + " caller(s): encrypted / plain", "encrypted", "plain", "1m", n, 0.8);
    }
    if (!parleyHs.isEmpty()) {
      double a = medianOf(parleyHs.stream().mapToDouble(HandshakeRate.Result::perSecond).toArray());
      double b = medianOf(tlsHs.stream().mapToDouble(HandshakeRate.Result::perSecond).toArray());
      s.append("| handshakes: Parley / TLS 1.3 full | ").append(ratio(a / b)).append(" | ≥ 2 | ")
          .append(a / b >= 2 ? "yes" : "**no**").append(" |\n");
    }
    if (!allocations.isEmpty()) {
      s.append("\n### Bytes allocated per 1 MiB echo call (1 caller; client and server threads; an upper bound on the"
          + " heap one call holds)\n\n| contender | caller thread | other threads (server, OkHttp) | total / body |"
          + " calls |\n| --- | ---: | ---: | ---: | ---: |\n");
      allocations.forEach((c, a) -> s.append("| `").append(c).append("` | ").append(fmt(a.callerBytesPerCall()))
          .append(" | ").append(fmt(a.otherBytesPerCall())).append(" | ")
          .append(ratio((a.callerBytesPerCall() + a.otherBytesPerCall()) / (1024 * 1024))).append(" | ")
          .append(a.calls()).append(" |\n"));
    }
    s.append("\n(Bytes per idle session: `SessionMemory`, a separate run.)\n");
    return s.toString();
  }

  /** Appends target rows; a row whose cells were not run says so. */
  private static final class Ratios {
    private final Map<String, List<CellRunner.Result>> results;
    private final StringBuilder s;

    Ratios(Map<String, List<CellRunner.Result>> results, StringBuilder s) {
      this.results = results;
      this.s = s;
    }

    void rate(String name, String a, String b, String payload, int callers, double atLeast) {
      row(name, a, b, payload, callers, CellRunner.Result::callsPerSecond, "≥ " + atLeast, true, atLeast);
    }

    /** {@link #rate}, but no row at all when either contender was not run. */
    void rateIfRun(String name, String a, String b, String payload, int callers, double atLeast) {
      if (results.containsKey(LoadCompare.key(a, payload, callers)) && results.containsKey(LoadCompare.key(b, payload, callers))) {
        rate(name, a, b, payload, callers, atLeast);
      }
    }

    void p99(String name, String a, String b, String payload, int callers, double atMost) {
      row(name, a, b, payload, callers, CellRunner.Result::p99, "≤ " + atMost, false, atMost);
    }

    private void row(String name, String a, String b, String payload, int callers,
        ToDoubleFunction<CellRunner.Result> f, String target, boolean atLeast, double bound) {
      List<CellRunner.Result> ra = results.get(LoadCompare.key(a, payload, callers));
      List<CellRunner.Result> rb = results.get(LoadCompare.key(b, payload, callers));
      if (ra == null || rb == null) {
        s.append("| ").append(name).append(" | not run | ").append(target).append(" | – |\n");
        return;
      }
      double r = median(ra, f) / median(rb, f);
      boolean met = atLeast ? r >= bound : r <= bound;
      s.append("| ").append(name).append(" | ").append(ratio(r)).append(" | ").append(target).append(" | ")
          .append(met ? "yes" : "**no**").append(" |\n");
    }
  }

  static double median(List<CellRunner.Result> results, ToDoubleFunction<CellRunner.Result> f) {
    return medianOf(results.stream().mapToDouble(f).toArray());
  }

  static double medianOf(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n == 0 ? Double.NaN : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  private static String fmt(double v) {
    if (Double.isNaN(v)) {
      return "–";
    }
    return String.format(Locale.ROOT, v >= 100 ? "%,.0f" : "%.1f", v).replace(',', ' ');
  }

  private static String ratio(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
