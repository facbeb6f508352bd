package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.ConfigException;
import dev.parley.crypto.ClientHandshake;
import dev.parley.crypto.HttpBinding;
import dev.parley.crypto.SecureKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code route} setting (PROTOCOL.md §5, §10.4): an encrypted module behind a reverse proxy that
 * strips the prefix {@code /api}. The clients call {@code /api/calc} and bind that route; the module
 * answers at {@code /calc}. The proxy is a small Jetty handler of this test that forwards with OkHttp.
 */
class RouteBehindProxyTest {
  private static final String PUBLIC_ROUTE = "/api/calc";
  private static final String ADD = "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":{\"a\":1,\"b\":2},\"id\":1}";
  private static final SecureKey KEY = SecureKey.parse(SecureTestClient.KEY_HEX);

  @TempDir
  Path dir;
  private RpcServer backend;
  private Server proxy;

  @AfterEach
  void stop() throws Exception {
    if (proxy != null) {
      proxy.stop();
    }
    if (backend != null) {
      backend.stop();
    }
  }

  private static ServerModule.Builder calc() {
    return ServerModule.builder("/calc").secureKey(SecureTestClient.KEY_HEX).functions(
        new HandWrittenFunctions("test.Calc").add());
  }

  /** Starts the module behind the prefix-stripping proxy; returns the proxy's base URI. */
  private String serveBehindProxy(ServerModule module) throws Exception {
    backend = RpcServer.builder().host("127.0.0.1").port(0).module(module).build().start();
    proxy = new Server();
    ServerConnector connector = new ServerConnector(proxy);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    proxy.addConnector(connector);
    proxy.setHandler(new StripPrefix("/api", backend.uri().toString()));
    proxy.start();
    return "http://127.0.0.1:" + connector.getLocalPort();
  }

  @Test
  void anEncryptedModuleWithThePublicRouteAnswersThroughAPrefixStrippingProxy() throws Exception {
    ServerModule module = calc().route(PUBLIC_ROUTE).build();
    String proxied = serveBehindProxy(module) + PUBLIC_ROUTE;
    SecureTestClient client = SecureTestClient.connect(proxied, PUBLIC_ROUTE, KEY);
    assertEquals(3, ServerHarness.tree(client.call(ADD)).get("result").asInt());
    assertEquals(3, ServerHarness.tree(client.call(ADD)).get("result").asInt(), "and keeps answering on the session");
    assertEquals("/calc", module.path());
    assertEquals(PUBLIC_ROUTE, module.route());
  }

  @Test
  void withoutTheRouteSettingTheProxiedHandshakeIsRefused() throws Exception {
    String proxied = serveBehindProxy(calc().build()) + PUBLIC_ROUTE;
    ClientHandshake handshake = ClientHandshake.start(KEY, PUBLIC_ROUTE, 32, new SecureRandom());
    SecureTestClient.Raw answer = SecureTestClient.handshake(proxied, handshake.message1());
    assertEquals(403, answer.status(), "the module binds /calc, the client /api/calc");
  }

  @Test
  void theRouteComesFromTheModulesConfigFile() throws Exception {
    Path config = dir.resolve("calc.yml");
    Files.writeString(config, "path: /calc\nroute: /api/calc\nsecureKey: " + SecureTestClient.KEY_HEX + "\n");
    ServerModule module = ServerModule.fromConfig(config, "PARLEY_CALC", Map.of())
        .functions(new HandWrittenFunctions("test.Calc").fn("add", List.of("a", "b"), (a, s) -> 3))
        .build();
    String proxied = serveBehindProxy(module) + PUBLIC_ROUTE;
    SecureTestClient client = SecureTestClient.connect(proxied, PUBLIC_ROUTE, KEY);
    assertEquals(3, ServerHarness.tree(client.call(ADD)).get("result").asInt());
  }

  @Test
  void aRouteThatIsNotAPathIsRefusedNamingTheModule() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> calc().route("api/calc").build());
    assertTrue(e.getMessage().contains("module /calc: route must start with '/'"), e.getMessage());
  }

  @Test
  void twoModulesSharingARouteAreRefused() {
    ServerModule a = calc().route(PUBLIC_ROUTE).build();
    ServerModule b = ServerModule.builder("/api/calc").secureKey(SecureTestClient.KEY_HEX)
        .functions(new HandWrittenFunctions("test.Other").fn("x", List.of(), (args, s) -> 1)).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RpcServer.builder().port(0).module(a).module(b).build());
    assertTrue(e.getMessage().contains("share the route /api/calc"), e.getMessage());
  }

  @Test
  void aMalformedRouteInAConfigFileNamesTheKeyAndTheFile() throws IOException {
    Path config = dir.resolve("bad.yml");
    Files.writeString(config, "path: /calc\nroute: api calc\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ServerModule.fromConfig(config, "PARLEY_CALC",
        Map.of()).functions(new HandWrittenFunctions("test.Calc").fn("add", List.of(), (a, s) -> 3)).build());
    assertEquals("route", e.key().orElseThrow());
    assertTrue(e.getMessage().contains(config.toString()), e.getMessage());
  }

  /** The reverse proxy: forwards {@code /api/x} to {@code backend/x}, with the body and Parley's headers. */
  private static final class StripPrefix extends Handler.Abstract {
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
      try (okhttp3.Response answer = ServerHarness.HTTP.newCall(forward.build()).execute()) {
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
