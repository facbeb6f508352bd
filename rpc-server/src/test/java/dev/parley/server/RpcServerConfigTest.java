package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.Request;
import okhttp3.Response;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link RpcServer#fromConfig}: an RpcServer's own config file with the file/environment conventions
 * of the modules' (docs/CONFIG.md "RpcServer"), and per-module environment prefixes.
 */
class RpcServerConfigTest {
  @TempDir
  Path dir;

  private static ServerModule module(String path) {
    return ServerModule.builder(path).functions(new HandWrittenFunctions("test.Calc").fn("one", List.of(), (a, s) -> 1))
        .build();
  }

  private Path file(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  @Test
  void everySettingOfTheFileReachesJetty() throws IOException {
    Path config = file("server.yml", String.join("\n",
        "host: 127.0.0.1", "port: 0", "minThreads: 4", "maxThreads: 16", "selectors: 2", "idleTimeout: 10s",
        "stopTimeout: 5s", "drainTime: 0", "healthPath: /health", "requestLog: on", "shutdownHook: false",
        "corsAllowedOrigins:", "  - https://app.example.com", "  - http://localhost:5173", "corsMaxAge: 1m", ""));
    try (RpcServer server = RpcServer.fromConfig(config, Map.of()).module(module("/calc")).build().start()) {
      QueuedThreadPool pool = (QueuedThreadPool) server.jetty().getThreadPool();
      assertEquals(16, pool.getMaxThreads());
      assertEquals(4, pool.getMinThreads());
      assertEquals(2, server.selectors());
      ServerConnector connector = (ServerConnector) server.jetty().getConnectors()[0];
      assertEquals(10_000, connector.getIdleTimeout());
      assertEquals("127.0.0.1", connector.getHost());
      assertEquals(5_000, server.jetty().getStopTimeout());
      assertNotNull(server.jetty().getRequestLog());
      assertEquals(Optional.of("/health"), server.healthPath());
      try (Response answer = ServerHarness.HTTP.newCall(new Request.Builder().url(server.uri() + "/calc")
          .method("OPTIONS", null).header("Origin", "http://localhost:5173")
          .header("Access-Control-Request-Method", "POST").build()).execute()) {
        assertEquals("http://localhost:5173", answer.header("Access-Control-Allow-Origin"));
        assertEquals("60", answer.header("Access-Control-Max-Age"));
      }
      try (Response answer = ServerHarness.HTTP.newCall(new Request.Builder().url(server.uri() + "/health").build())
          .execute()) {
        assertEquals(200, answer.code());
      }
    }
  }

  @Test
  void theEnvironmentOverridesTheFileUnderTheFilesOwnPrefix() throws IOException {
    Path config = file("server.yml", "envPrefix: PARLEY_EDGE_\nhost: 127.0.0.1\nport: 0\nmaxThreads: 16\n");
    Map<String, String> env = Map.of("PARLEY_EDGE_MAX_THREADS", "12", "PARLEY_MAX_THREADS", "40");
    try (RpcServer server = RpcServer.fromConfig(config, env).module(module("/calc")).build()) {
      assertEquals(12, ((QueuedThreadPool) server.jetty().getThreadPool()).getMaxThreads());
    }
  }

  @Test
  void codeReplacesAValueOfTheFileOnce() throws IOException {
    Path config = file("server.yml", "host: 127.0.0.1\nport: 0\nmaxThreads: 16\n");
    RpcServer.Builder builder = RpcServer.fromConfig(config, Map.of()).maxThreads(20);
    IllegalStateException twice = assertThrows(IllegalStateException.class, () -> builder.maxThreads(30));
    assertTrue(twice.getMessage().contains("maxThreads was already set to 20"), twice.getMessage());
    try (RpcServer server = builder.module(module("/calc")).build()) {
      assertEquals(20, ((QueuedThreadPool) server.jetty().getThreadPool()).getMaxThreads());
    }
  }

  @Test
  void twoModulesOfOneProcessAreOverriddenApartByTheirPrefixes() throws IOException {
    Path a = file("a.yml", "path: /a\n");
    Path b = file("b.yml", "path: /b\nenvPrefix: PARLEY_B\n");
    Map<String, String> env = Map.of("PARLEY_A_AUTO_SESSIONS_LIVE", "1m", "PARLEY_B_AUTO_SESSIONS_LIVE", "2m",
        "PARLEY_AUTO_SESSIONS_LIVE", "3m");
    HandWrittenFunctions fns = new HandWrittenFunctions("test.Calc").fn("one", List.of(), (x, s) -> 1);
    ServerModule moduleA = ServerModule.fromConfig(a, "PARLEY_A", env).functions(fns).build();
    ServerModule moduleB = ServerModule.fromConfig(b, env).functions(fns).build();
    ServerModule plain = ServerModule.fromConfig(file("c.yml", "path: /c\n"), env).functions(fns).build();
    assertEquals(Duration.ofMinutes(1), moduleA.autoSessionsLive());
    assertEquals(Duration.ofMinutes(2), moduleB.autoSessionsLive());
    assertEquals(Duration.ofMinutes(3), plain.autoSessionsLive(), "without a prefix: PARLEY_");
  }

  private ConfigException badServerFile(String text) throws IOException {
    Path config = file("server.yml", text);
    ConfigException e = assertThrows(ConfigException.class,
        () -> RpcServer.fromConfig(config, Map.of()).module(module("/calc")).build());
    assertTrue(e.getMessage().contains(config.toString()), "names the file: " + e.getMessage());
    return e;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      port: 70000                           | port               | expected an integer from 0 to 65535, got "70000"
      healthPath: health                    | healthPath         | the health path must look like /health
      corsMaxAge: 5m                        | corsMaxAge         | corsMaxAge needs corsAllowedOrigins
      corsAllowedOrigins: app.example.com   | corsAllowedOrigins | is not an origin
      """)
  void aBadSettingNamesTheKeyAndTheFile(String line, String key, String message) throws IOException {
    ConfigException e = badServerFile(line + "\n");
    assertEquals(key, e.key().orElseThrow());
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void moreMinThreadsThanMaxThreadsNamesTheKeyAndTheFile() throws IOException {
    ConfigException e = badServerFile("minThreads: 50\nmaxThreads: 10\n");
    assertEquals("minThreads", e.key().orElseThrow());
    assertTrue(e.getMessage().contains("minThreads 50 is more than maxThreads 10"), e.getMessage());
  }

  @Test
  void aMalformedTimeoutNamesTheKeyAndTheFile() throws IOException {
    assertEquals("idleTimeout", badServerFile("idleTimeout: soon\n").key().orElseThrow());
    assertEquals("stopTimeout", badServerFile("stopTimeout: -5s\n").key().orElseThrow());
  }

  @Test
  void aModuleSettingInTheServersFileSaysWhereItBelongs() throws IOException {
    ConfigException e = badServerFile("port: 8080\nencryptionKey: 32\n");
    assertTrue(e.getMessage().contains("encryptionKey is a setting of a server module"), e.getMessage());
  }

  @Test
  void aBadValueFromTheEnvironmentNamesTheVariable() throws IOException {
    Path config = file("server.yml", "port: 8080\n");
    ConfigException e = assertThrows(ConfigException.class,
        () -> RpcServer.fromConfig(config, Map.of("PARLEY_PORT", "eighty")));
    assertEquals("port", e.key().orElseThrow());
    assertEquals("environment variable PARLEY_PORT", e.source());
  }
}
