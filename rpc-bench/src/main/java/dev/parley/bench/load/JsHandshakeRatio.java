package dev.parley.bench.load;

import dev.parley.client.ClientModule;
import dev.parley.crypto.SecureKey;
import dev.parley.server.RpcServer;
import dev.parley.server.ServerModule;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import okhttp3.OkHttpClient;

/**
 * A full handshake plus the first sealed call, from the JavaScript client under Node against the
 * Java client, side by side in one run (docs/BENCHMARKS.md "JavaScript client: handshake and first
 * call"). One server (an encrypted module on 127.0.0.1); one set-up at a time on each side: a new
 * client (Java: a new {@link ClientModule} over one pooled OkHttp client; Node: a new
 * {@code ParleyClient} over Node's pooled fetch), msg1–msg4, then {@code add(1, 2)} sealed. Both sides
 * warm up first, then blocks alternate Java/Node and Node/Java (ABBA) so that drift on a shared
 * machine falls on both; the ratio Node/Java is taken per round.
 *
 * <pre>
 * mvn -B -Pbench -Dparley.target=target-bench -pl rpc-bench -am -DskipTests package
 * (cd clients/js &amp;&amp; npm ci &amp;&amp; npm run build)
 * java -cp rpc-bench/target-bench/benchmarks.jar dev.parley.bench.load.JsHandshakeRatio [rounds] [perBlock] [clients/js]
 * </pre>
 */
public final class JsHandshakeRatio {
  private JsHandshakeRatio() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 16;
    int perBlock = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    Path js = Path.of(args.length > 2 ? args[2] : "clients/js").toAbsolutePath();
    if (!Files.isRegularFile(js.resolve("dist/parley.min.js"))) {
      throw new IllegalStateException(js + "/dist/parley.min.js is missing: run npm ci && npm run build in clients/js");
    }
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    RpcServer server = RpcServer.builder().host("127.0.0.1").port(0)
        .module(ServerModule.builder("/bench").functions(new BenchApiFunctions(new BenchApiImpl()))
            .encryptionKey(32).secureKey(SecureKey.fromBytes(key.clone())).build())
        .module(ServerModule.builder("/plain").functions(new BenchApiFunctions(new BenchApiImpl())).build())
        .build().start();
    String url = server.uri() + "/bench";
    String plainUrl = server.uri() + "/plain";
    ProcessBuilder pb = new ProcessBuilder("node", js.resolve("bench/handshake.mjs").toString(), url, plainUrl)
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("PARLEY_SECURE_KEY", HexFormat.of().formatHex(key));
    Process node = pb.start();
    OkHttpClient shared = HttpClients.base().build();
    SecureKey secureKey = SecureKey.fromBytes(key.clone());
    try (BufferedReader in = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
         Writer out = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8)) {
      if (!"ready".equals(in.readLine())) {
        throw new IllegalStateException("the Node side did not start");
      }
      // Warm-up: C2 for the JVM, TurboFan for V8, pooled connections on both sides.
      java(url, secureKey, shared, 400);
      node(in, out, "", 400);
      List<Double> javaMicros = new ArrayList<>();
      List<Double> nodeMicros = new ArrayList<>();
      List<Double> ratios = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        double j;
        double n;
        if (r % 2 == 0) {
          j = java(url, secureKey, shared, perBlock) / 1e3 / perBlock;
          n = node(in, out, "", perBlock) / 1e3 / perBlock;
        } else {
          n = node(in, out, "", perBlock) / 1e3 / perBlock;
          j = java(url, secureKey, shared, perBlock) / 1e3 / perBlock;
        }
        javaMicros.add(j);
        nodeMicros.add(n);
        ratios.add(n / j);
        System.out.printf(Locale.ROOT, "round %2d  java %8.1f us  node %8.1f us  node/java %.2f%n", r + 1, j, n, n / j);
      }
      // The transport alone: plain add(1, 2) calls on one client each, the same alternation.
      List<Double> plainRatios = new ArrayList<>();
      List<Double> javaPlain = new ArrayList<>();
      List<Double> nodePlain = new ArrayList<>();
      try (ClientModule plain = ClientModule.builder(plainUrl).okHttpClient(shared).build()) {
        BenchApiClient calls = new BenchApiClient(plain);
        plainCalls(calls, 2000);
        node(in, out, "plain ", 2000);
        int perPlainBlock = perBlock * 10;
        for (int r = 0; r < rounds; r++) {
          double j;
          double n;
          if (r % 2 == 0) {
            j = plainCalls(calls, perPlainBlock) / 1e3 / perPlainBlock;
            n = node(in, out, "plain ", perPlainBlock) / 1e3 / perPlainBlock;
          } else {
            n = node(in, out, "plain ", perPlainBlock) / 1e3 / perPlainBlock;
            j = plainCalls(calls, perPlainBlock) / 1e3 / perPlainBlock;
          }
          javaPlain.add(j);
          nodePlain.add(n);
          plainRatios.add(n / j);
        }
      }
      out.write("0\n");
      out.flush();
      System.out.printf(Locale.ROOT, "%nhandshake + first call, %d rounds x %d set-ups per side, one at a time%n", rounds, perBlock);
      System.out.printf(Locale.ROOT, "java (ClientModule, OkHttp):   median %.1f us%n", median(javaMicros));
      System.out.printf(Locale.ROOT, "node (ParleyClient, fetch):    median %.1f us%n", median(nodeMicros));
      System.out.printf(Locale.ROOT, "ratio node/java: median %.2f (quartiles %.2f .. %.2f)%n", median(ratios),
          quantile(ratios, 0.25), quantile(ratios, 0.75));
      System.out.printf(Locale.ROOT, "%nfor scale, a plain add(1, 2) on one client (the HTTP stack alone, no crypto):%n");
      System.out.printf(Locale.ROOT, "java %.1f us, node %.1f us, ratio node/java: median %.2f (quartiles %.2f .. %.2f)%n",
          median(javaPlain), median(nodePlain), median(plainRatios), quantile(plainRatios, 0.25), quantile(plainRatios, 0.75));
    } finally {
      node.destroy();
      shared.connectionPool().evictAll();
      shared.dispatcher().executorService().shutdown();
      server.stop();
    }
  }

  private static long java(String url, SecureKey key, OkHttpClient shared, int n) {
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      try (ClientModule module = ClientModule.builder(url).secureKey(key).okHttpClient(shared).build()) {
        int sum = new BenchApiClient(module).add(1, 2);
        if (sum != 3) {
          throw new IllegalStateException("add(1, 2) answered " + sum);
        }
      }
    }
    return System.nanoTime() - start;
  }

  private static long plainCalls(BenchApiClient calls, int n) {
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      if (calls.add(1, 2) != 3) {
        throw new IllegalStateException("add(1, 2) failed");
      }
    }
    return System.nanoTime() - start;
  }

  private static long node(BufferedReader in, Writer out, String command, int n) throws Exception {
    out.write(command + n + "\n");
    out.flush();
    String line = in.readLine();
    if (line == null || !line.startsWith("ns ")) {
      throw new IllegalStateException("the Node side answered " + line);
    }
    return Long.parseLong(line.substring(3));
  }

  private static double median(List<Double> values) {
    return quantile(values, 0.5);
  }

  private static double quantile(List<Double> values, double q) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    double at = q * (sorted.size() - 1);
    int lo = (int) Math.floor(at);
    int hi = (int) Math.ceil(at);
    return sorted.get(lo) + (sorted.get(hi) - sorted.get(lo)) * (at - lo);
  }
}
