package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.crypto.SecureKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RpcServer.Builder.console: the console page, its assets and modules.json, and the settings it refuses. */
class ConsolePageTest {
  private static final OkHttpClient HTTP = new OkHttpClient.Builder().followRedirects(false).build();
  private static RpcServer server;
  private static RpcServer without;

  @BeforeAll
  static void start() {
    HandWrittenFunctions functions = new HandWrittenFunctions("test.Echo").fn("echo", List.of("text"), (a, s) -> a.get(0, "text", String.class));
    server = RpcServer.builder().host("127.0.0.1").port(0)
        .module(ServerModule.builder("/plain").functions(functions).build())
        .module(ServerModule.builder("/sealed").secureKey(SecureKey.fromBytes(new byte[32])).functions(functions).build())
        .console("/console")
        .build().start();
    without = RpcServer.builder().host("127.0.0.1").port(0)
        .module(ServerModule.builder("/plain").functions(functions).build())
        .build().start();
  }

  @AfterAll
  static void stop() {
    server.stop();
    without.stop();
  }

  private record Page(int status, String type, String csp, String cache, String location, String allow, String body) {}

  private static Page get(RpcServer s, String path) {
    return send(s, new Request.Builder().url(s.uri() + path).build());
  }

  private static Page send(RpcServer s, Request request) {
    try (Response r = HTTP.newCall(request).execute()) {
      return new Page(r.code(), r.header("Content-Type"), r.header("Content-Security-Policy"), r.header("Cache-Control"),
          r.header("Location"), r.header("Allow"), r.body().string());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void theConsoleIsOffByDefault() {
    assertEquals(Optional.empty(), without.consolePath());
    assertEquals(404, get(without, "/console/").status());
  }

  @Test
  void thePageIsServedWithAPolicyThatAllowsOnlyItsOwnOrigin() {
    Page page = get(server, "/console/");
    assertEquals(200, page.status());
    assertEquals("text/html;charset=utf-8", page.type());
    assertTrue(page.body().contains("<script type=\"module\" src=\"console.js\"></script>"), page.body());
    assertTrue(page.csp().contains("default-src 'none'") && page.csp().contains("connect-src 'self'"), page.csp());
    assertEquals("no-store", page.cache());
    assertEquals(Optional.of("/console"), server.consolePath());
  }

  @Test
  void theScriptAndStyleSheetAreServedFromTheJar() {
    Page script = get(server, "/console/console.js");
    assertEquals("text/javascript;charset=utf-8", script.type());
    assertTrue(script.body().contains("rpc.discover"));
    assertEquals("text/css;charset=utf-8", get(server, "/console/console.css").type());
  }

  @Test
  void theConsolePathRedirectsToThePage() {
    Page page = get(server, "/console");
    assertEquals(302, page.status());
    assertEquals("/console/", page.location());
  }

  @Test
  void modulesJsonListsEachModulePathAndWhetherItEncrypts() {
    Page modules = get(server, "/console/modules.json");
    assertEquals("application/json", modules.type());
    assertEquals("{\"modules\":[{\"path\":\"/plain\",\"encrypts\":false,\"forcesEncryption\":false},"
        + "{\"path\":\"/sealed\",\"encrypts\":true,\"forcesEncryption\":true}]}", modules.body());
  }

  @Test
  void anUnknownAssetIs404AndAPostIs405() {
    assertEquals(404, get(server, "/console/other.js").status());
    Page post = send(server, new Request.Builder().url(server.uri() + "/console/").post(RequestBody.create(new byte[0])).build());
    assertEquals(405, post.status());
    assertEquals("GET, HEAD", post.allow());
  }

  @Test
  void theModulesAreStillServedBesideTheConsole() {
    Page answer = send(server, new Request.Builder().url(server.uri() + "/plain")
        .post(RequestBody.create("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":[\"hi\"]}",
            okhttp3.MediaType.get("application/json"))).build());
    assertEquals(200, answer.status());
    assertFalse(answer.body().contains("error"), answer.body());
  }

  @Test
  void theBuilderRefusesMalformedOverlappingOrRepeatedConsolePaths() {
    ServerModule module = ServerModule.builder("/console/calc").functions(new HandWrittenFunctions("test.X")).build();
    for (String bad : List.of("console", "/", "/console/", "/a?b", "/a//b", "/../x")) {
      assertThrows(IllegalArgumentException.class, () -> RpcServer.builder().console(bad), bad);
    }
    IllegalArgumentException covers = assertThrows(IllegalArgumentException.class,
        () -> RpcServer.builder().module(module).console("/console").build());
    assertTrue(covers.getMessage().contains("covers the module at /console/calc"), covers.getMessage());
    IllegalStateException twice = assertThrows(IllegalStateException.class,
        () -> RpcServer.builder().console("/a").console("/b"));
    assertTrue(twice.getMessage().contains("already set to /a"), twice.getMessage());
  }
}
