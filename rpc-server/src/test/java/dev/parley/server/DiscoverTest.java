package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** rpc.discover answers the module's OpenRPC document, merged from its groups. */
class DiscoverTest {
  private static ServerHarness harness;

  @BeforeAll
  static void start() {
    HandWrittenFunctions documented = new HandWrittenFunctions("test.Documented")
        .fn("area", List.of("w", "h"), (a, s) -> null);
    HandWrittenFunctions undocumented = new HandWrittenFunctions("test.Undocumented")
        .fn("echo", List.of("text"), (a, s) -> null);
    harness = new ServerHarness(ServerModule.builder("/shapes").functions(documented, undocumented).build());
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static JsonNode discover() {
    ServerHarness.Answer answer = harness.post("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.discover\",\"id\":1}");
    assertEquals(200, answer.status());
    return answer.json().get("result");
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
