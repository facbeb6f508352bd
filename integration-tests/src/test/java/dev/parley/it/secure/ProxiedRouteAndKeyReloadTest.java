package dev.parley.it.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.client.ClientModule;
import dev.parley.client.WrongSecureKeyException;
import dev.parley.crypto.HttpBinding;
import dev.parley.crypto.SecureKey;
import dev.parley.server.RpcServer;
import dev.parley.server.ServerModule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.RequestBody;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Parley client through a reverse proxy that strips {@code /api} (docs/DEPLOYING.md "Path
 * prefixes and rewriting proxies"), to an encrypted module whose config file sets its {@code route}
 * and lists its {@code secureKeys}; then a key rotation by {@code reloadKeys()} while the client's
 * session lives (docs/OPERATIONS.md "Key rotation").
 */
class ProxiedRouteAndKeyReloadTest {
  private static final SecureKey OLD = Keys.a().withKeyId(1);
  private static final SecureKey NEW = Keys.b().withKeyId(2);

  @TempDir
  Path dir;
  private Path config;
  private CountingCalculator calculator;
  private ServerModule module;
  private RpcServer backend;
  private Server proxy;
  private String publicUrl;

  @BeforeEach
  void start() throws Exception {
    Files.writeString(dir.resolve("calc-1.key"), Keys.A);
    Files.writeString(dir.resolve("calc-2.key"), Keys.B);
    config = dir.resolve("calc-server.yml");
    writeKeys("  - {id: 1, file: calc-1.key}\n");
    calculator = new CountingCalculator();
    module = ServerModule.fromConfig(config, "PARLEY_IT_CALC", Map.of())
        .functions(new CalculatorFunctions(calculator)).build();
    backend = RpcServer.builder().host("127.0.0.1").port(0).module(module).build().start();
    proxy = new Server();
    ServerConnector connector = new ServerConnector(proxy);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    proxy.addConnector(connector);
    proxy.setHandler(new StripPrefix("/api", backend.uri().toString()));
    proxy.start();
    publicUrl = "http://127.0.0.1:" + connector.getLocalPort() + "/api/calc";
  }

  @AfterEach
  void stop() throws Exception {
    proxy.stop();
    backend.stop();
  }

  private void writeKeys(String entries) throws IOException {
    Files.writeString(config, "path: /calc\nroute: /api/calc\nsecureKeys:\n" + entries);
  }

  private ClientModule client(SecureKey key) {
    return ClientModule.builder(publicUrl).secureKey(key).build();
  }

  @Test
  void aClientKeepsItsSessionThroughAReloadThatRemovesItsKeyWhileNewClientsUseTheNewKey() throws IOException {
    try (ClientModule before = client(OLD)) {
      CalculatorClient calc = new CalculatorClient(before);
      assertEquals(3, calc.add(1, 2));
      String session = before.sessionId().orElseThrow();

      writeKeys("  - {id: 2, file: calc-2.key}\n");
      assertEquals(List.of(2), module.reloadKeys());

      assertEquals(5, calc.add(2, 3), "the live session is kept");
      assertEquals(session, before.sessionId().orElseThrow(), "on the same session");
      try (ClientModule after = client(NEW)) {
        assertEquals(7, new CalculatorClient(after).add(3, 4));
      }
      try (ClientModule late = client(OLD)) {
        assertThrows(WrongSecureKeyException.class, () -> new CalculatorClient(late).add(1, 1));
      }
      assertEquals(3, calculator.invocations("add"), "each accepted call ran once, the refused one not at all");
    }
  }

  /** The reverse proxy: forwards {@code /api/x} to {@code backend/x} with the body and Parley's headers. */
  private static final class StripPrefix extends Handler.Abstract {
    private final OkHttpClient http = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
    private final String prefix;
    private final String backend;

    StripPrefix(String prefix, String backend) {
      this.prefix = prefix;
      this.backend = backend;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws IOException {
      String path = Request.getPathInContext(request);
      if (!path.startsWith(prefix + "/")) {
        return false;
      }
      byte[] body;
      try (InputStream in = Request.asInputStream(request)) {
        body = in.readAllBytes();
      }
      String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
      okhttp3.Request.Builder forward = new okhttp3.Request.Builder()
          .url(backend + path.substring(prefix.length()))
          .post(RequestBody.create(body, type == null ? null : MediaType.get(type)));
      String session = request.getHeaders().get(HttpBinding.SESSION_HEADER);
      if (session != null) {
        forward.header(HttpBinding.SESSION_HEADER, session);
      }
      try (okhttp3.Response answer = http.newCall(forward.build()).execute()) {
        response.setStatus(answer.code());
        for (String name : List.of("Content-Type", HttpBinding.SESSION_HEADER, HttpBinding.DRAINING_HEADER)) {
          String value = answer.header(name);
          if (value != null) {
            response.getHeaders().put(name, value);
          }
        }
        response.write(true, ByteBuffer.wrap(answer.body().bytes()), callback);
      }
      return true;
    }
  }
}
