package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rpc.discover answers the module's OpenRPC document, merged from its groups. */
class DiscoverTest {
  private static ServerHarness harness;

  @BeforeAll
  static void start() {
    HandWrittenFunctions documented = new HandWrittenFunctions("test.Documented")
        .fn("area", List.of("w", "h"), (a, s) -> null);
    harness = new ServerHarness(ServerModule.builder("/shapes").functions(documented, undocumented()).build());
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static HandWrittenFunctions undocumented() {
    return new HandWrittenFunctions("test.Undocumented").fn("echo", List.of("text"), (a, s) -> null);
  }

  private static JsonNode discover() {
    return discover(harness);
  }

  /** The OpenRPC document that {@code rpc.discover} answers on {@code server}. */
  private static JsonNode discover(ServerHarness server) {
    ServerHarness.Answer answer = server.post("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.discover\",\"id\":1}");
    assertEquals(200, answer.status());
    return answer.json().get("result");
  }

  /** Asserts the info that {@code module} answers to {@code rpc.discover}, on a server of its own. */
  private static void assertInfo(ServerModule module, String title, String version, String description) {
    try (ServerHarness named = new ServerHarness(module)) {
      JsonNode info = discover(named).get("info");
      assertEquals(title, info.get("title").asText());
      assertEquals(version, info.get("version").asText());
      assertEquals(description, info.get("description").asText());
    }
  }

  private static Map<String, JsonNode> methodsByName(JsonNode document) {
    Map<String, JsonNode> methods = new HashMap<>();
    document.get("methods").forEach(m -> methods.put(m.get("name").asText(), m));
    return methods;
  }

  @Test
  void documentIsOpenRpc132WithInfo() {
    JsonNode document = discover();
    assertEquals("1.3.2", document.get("openrpc").asText());
    assertTrue(document.get("info").get("title").asText().contains("/shapes"));
    assertTrue(document.get("info").has("version"));
  }

  @Test
  void defaultInfoNamesTheModulesPathAndHasNoDescription() {
    JsonNode info = discover().get("info");
    assertEquals("Parley module /shapes", info.get("title").asText());
    assertEquals("1.0.0", info.get("version").asText());
    assertFalse(info.has("description"));
  }

  @Test
  void titleVersionAndDescriptionAreSetOnTheModule() {
    ServerModule module = ServerModule.builder("/geometry")
        .functions(undocumented())
        .apiTitle("Geometry")
        .apiVersion("2.1.0")
        .apiDescription("Areas and volumes.")
        .build();
    assertInfo(module, "Geometry", "2.1.0", "Areas and volumes.");
  }

  @Test
  void infoSettingsAndExposeErrorMessagesComeFromAConfigFileAndTheEnvironment(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("server.yml");
    Files.writeString(file, "path: /geometry\napiTitle: Geometry\napiVersion: 2.0.0\nexposeErrorMessages: true\n");
    ServerModule module = ServerModule.fromConfig(file, Map.of("PARLEY_API_VERSION", "2.1.0",
        "PARLEY_API_DESCRIPTION", "From the environment.")).functions(undocumented()).build();
    assertTrue(module.exposesErrorMessages());
    assertInfo(module, "Geometry", "2.1.0", "From the environment.");
  }

  @Test
  void blankTitleIsRefusedAndASecondVersionNamesTheFirst() {
    ServerModule.Builder builder = ServerModule.builder("/x");
    assertThrows(IllegalArgumentException.class, () -> builder.apiTitle(" "));
    builder.apiVersion("1.2.0");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> builder.apiVersion("1.3.0"));
    assertTrue(e.getMessage().contains("1.2.0"), e.getMessage());
  }

  @Test
  void generatedMethodsAndComponentsAreMerged() {
    JsonNode document = discover();
    JsonNode area = methodsByName(document).get("area");
    assertEquals("number", area.get("params").get(0).get("schema").get("type").asText());
    assertTrue(document.get("components").get("schemas").has("Area"));
  }

  @Test
  void groupWithoutDocumentGetsMinimalEntries() {
    JsonNode echo = methodsByName(discover()).get("echo");
    assertEquals("text", echo.get("params").get(0).get("name").asText());
    assertTrue(echo.has("result"));
  }

  @Test
  void discoverItselfIsNotListed() {
    assertFalse(methodsByName(discover()).containsKey("rpc.discover"));
    assertEquals(2, discover().get("methods").size());
  }

  @Test
  void discoverWorksInsideABatch() {
    JsonNode json = harness.post("[{\"jsonrpc\":\"2.0\",\"method\":\"rpc.discover\",\"id\":1}]").json();
    assertEquals("1.3.2", json.get(0).get("result").get("openrpc").asText());
  }
}
