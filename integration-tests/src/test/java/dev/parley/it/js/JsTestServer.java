package dev.parley.it.js;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.parley.Compression;
import dev.parley.samples.calculator.CalculatorFunctions;
import dev.parley.server.RpcServer;
import dev.parley.server.ServerModule;
import dev.parley.server.internal.TestHooks;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The real Java server the JavaScript client is tested against (clients/js/test/live): the samples'
 * calculator as a plain module ({@code /calc}), an encrypted one ({@code /secure-calc}) and an
 * encrypted one that compresses its answers ({@code /secure-calc-z}), a plain control module
 * ({@code /control}) and the console page ({@code /console}). The SecureKey is drawn per run.
 */
final class JsTestServer implements AutoCloseable {
  static final Duration SESSIONS_LIVE = Duration.ofMinutes(10);

  final String secureKey = HexFormat.of().formatHex(randomBytes(32));
  private final AtomicLong nanos = new AtomicLong();
  private final Ticker ticker = nanos::get;
  private final Map<String, CountingCalculator> calculators = Map.of(
      "/calc", new CountingCalculator(),
      "/secure-calc", new CountingCalculator(),
      "/secure-calc-z", new CountingCalculator());
  final RpcServer server;

  JsTestServer() {
    server = RpcServer.builder()
        .host("127.0.0.1")
        .port(0)
        .module(ServerModule.builder("/calc").functions(new CalculatorFunctions(calculators.get("/calc"))).build())
        .module(secure("/secure-calc", Compression.NONE))
        .module(secure("/secure-calc-z", Compression.FAST))
        .module(ServerModule.builder("/control").functions(new JsControlFunctions(new JsControl() {
          @Override
          public void expireSessions() {
            nanos.addAndGet(SESSIONS_LIVE.plusMinutes(5).toNanos());
          }

          @Override
          public long addRuns(String path) {
            return calculators.get(path).addRuns.get();
          }
        })).build())
        .console("/console")
        .build()
        .start();
  }

  private ServerModule secure(String path, Compression compression) {
    ServerModule.Builder module = ServerModule.builder(path)
        .encryptionKey(32)
        .secureKey(secureKey)
        .autoSessionsLive(SESSIONS_LIVE)
        .compression(compression)
        .functions(new CalculatorFunctions(calculators.get(path)));
    TestHooks.ticker(module, ticker);
    return module.build();
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
  }

  String baseUrl() {
    return server.uri().toString();
  }

  @Override
  public void close() {
    server.close();
  }
}
