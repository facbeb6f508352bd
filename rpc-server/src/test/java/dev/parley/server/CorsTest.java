package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Locale;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * CORS for the modules ({@link RpcServer.Builder#corsAllowedOrigins}), Jetty's CrossOriginHandler:
 * a browser's preflight sent as a real {@code OPTIONS} over OkHttp, then the call itself.
 */
class CorsTest {
  private static final String APP = "https://app.example.com";
  private static final String ADD = "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":{\"a\":1,\"b\":2},\"id\":1}";

  private RpcServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop();
    }
  }

  private static ServerModule calc() {
    return ServerModule.builder("/calc").functions(new HandWrittenFunctions("test.Calc").add()).build();
  }

  private String url() {
    return server.uri() + "/calc";
  }

  private Response preflight(String origin) throws IOException {
    return ServerHarness.HTTP.newCall(new Request.Builder().url(url()).method("OPTIONS", null)
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type")
        .build()).execute();
  }

  private Response call(String origin) throws IOException {
    return ServerHarness.HTTP.newCall(new Request.Builder().url(url()).post(RequestBody.create(ADD, ServerHarness.JSON))
        .header("Origin", origin).build()).execute();
  }

  @Test
  void aPreflightFromAnAllowedOriginIsAnsweredAndThenTheCallCarriesTheCorsHeaders() throws IOException {
    server = RpcServer.builder().host("127.0.0.1").port(0).module(calc()).corsAllowedOrigins(APP).build().start();
    try (Response answer = preflight(APP)) {
      assertTrue(answer.isSuccessful(), "preflight status " + answer.code());
      assertEquals(APP, answer.header("Access-Control-Allow-Origin"));
      assertTrue(answer.header("Access-Control-Allow-Methods").contains("POST"), answer.header("Access-Control-Allow-Methods"));
      assertTrue(answer.header("Access-Control-Allow-Headers").toLowerCase(Locale.ROOT).contains("content-type"),
          answer.header("Access-Control-Allow-Headers"));
      assertEquals("600", answer.header("Access-Control-Max-Age"));
      assertNull(answer.header("Access-Control-Allow-Credentials"), "no credentials unless asked for");
    }
    try (Response answer = call(APP)) {
      assertEquals(200, answer.code());
      assertEquals(APP, answer.header("Access-Control-Allow-Origin"));
      assertTrue(answer.header("Access-Control-Expose-Headers").contains(ServerModule.SESSION_HEADER),
          answer.header("Access-Control-Expose-Headers"));
      assertEquals(3, ServerHarness.tree(answer.body().string()).get("result").asInt());
    }
  }

  @Test
  void anotherOriginGetsNoCorsHeaders() throws IOException {
    server = RpcServer.builder().host("127.0.0.1").port(0).module(calc()).corsAllowedOrigins(APP).build().start();
    try (Response answer = preflight("https://evil.example.net")) {
      assertNull(answer.header("Access-Control-Allow-Origin"));
    }
    try (Response answer = preflight("https://app.example.com.evil.net")) {
      assertNull(answer.header("Access-Control-Allow-Origin"), "origins match exactly, not as a prefix");
    }
  }

  @Test
  void aSubdomainWildcardAllowsOnlyWholeSubdomainsOfThatDomain() throws IOException {
    server = RpcServer.builder().host("127.0.0.1").port(0).module(calc()).corsAllowedOrigins("https://*.example.com")
        .build().start();
    try (Response answer = preflight("https://shop.example.com")) {
      assertEquals("https://shop.example.com", answer.header("Access-Control-Allow-Origin"));
    }
    try (Response answer = preflight("https://example.com.evil.net")) {
      assertNull(answer.header("Access-Control-Allow-Origin"));
    }
    try (Response answer = preflight("https://shopexample.com")) {
      assertNull(answer.header("Access-Control-Allow-Origin"));
    }
  }

  @Test
  void corsIsOffByDefaultSoAPreflightIsNotAllowed() throws IOException {
    server = RpcServer.builder().host("127.0.0.1").port(0).module(calc()).build().start();
    try (Response answer = preflight(APP)) {
      assertEquals(405, answer.code());
      assertNull(answer.header("Access-Control-Allow-Origin"));
    }
  }

  @Test
  void anOriginWithAPathIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RpcServer.builder().corsAllowedOrigins("https://app.example.com/"));
    assertTrue(e.getMessage().contains("\"https://app.example.com/\" is not an origin"), e.getMessage());
  }

  @Test
  void credentialsWithAnyOriginAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RpcServer.builder().module(calc())
        .corsAllowedOrigins("*").corsAllowCredentials(true).build());
    assertTrue(e.getMessage().contains("corsAllowCredentials cannot go with the origin *"), e.getMessage());
  }

  @Test
  void aCorsSettingWithoutOriginsIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RpcServer.builder().module(calc())
        .corsAllowedHeaders("Authorization").build());
    assertTrue(e.getMessage().contains("corsAllowedHeaders needs corsAllowedOrigins"), e.getMessage());
  }
}
