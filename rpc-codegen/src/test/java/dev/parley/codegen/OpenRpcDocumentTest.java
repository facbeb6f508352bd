package dev.parley.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OpenRpcDocumentTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static String text;
  private static JsonNode document;

  @BeforeAll
  static void compile() throws Exception {
    Generated generated = Generated.of(Sources.join(Sources.CALCULATOR, Sources.ACCOUNTS));
    text = generated.resource("META-INF/parley/test.Calculator.openrpc.json");
    document = MAPPER.readTree(text);
  }

  private static JsonNode method(String name) {
    for (JsonNode method : document.get("methods")) {
      if (method.get("name").asText().equals(name)) {
        return method;
      }
    }
    throw new AssertionError("no method " + name + " in " + text);
  }

  private static JsonNode json(String json) throws Exception {
    return MAPPER.readTree(json);
  }

  @Test
  void documentIsOpenRpcWithTheSimpleNameAsTitle() throws Exception {
    assertEquals("1.3.2", document.get("openrpc").asText());
    assertEquals(json("{\"title\": \"Calculator\", \"version\": \"1.0.0\"}"), document.get("info"));
  }

  @Test
  void methodsAreListedInDeclarationOrderUnderTheirWireNames() {
    List<String> names = new ArrayList<>();
    document.get("methods").forEach(m -> names.add(m.get("name").asText()));
    assertEquals(List.of("add", "history", "reset", "calc.greet", "ping", "bars", "echo", "join"), names);
  }

  @Test
  void paramsCarryTheirNamesRequiredFlagsAndSchemas() throws Exception {
    assertEquals(json("""
        [{"name": "a", "required": true, "schema": {"type": "integer", "format": "int32"}},
         {"name": "b", "required": true, "schema": {"type": "integer", "format": "int32"}}]
        """), method("add").get("params"));
  }

  @Test
  void optionalParamIsNotRequiredAndHasTheSchemaOfItsContent() throws Exception {
    JsonNode prefix = method("bars").get("params").get(1);
    assertEquals(json("{\"name\": \"prefix\", \"required\": false, \"schema\": {\"type\": \"string\"}}"), prefix);
  }

  @Test
  void idempotenceIsExportedAsAnExtension() {
    assertTrue(method("history").get("x-idempotent").asBoolean());
    assertFalse(method("add").get("x-idempotent").asBoolean());
  }

  @Test
  void resultOfAVoidOrVoidFutureFunctionIsNull() throws Exception {
    assertEquals(json("{\"name\": \"result\", \"schema\": {\"type\": \"null\"}}"), method("reset").get("result"));
    assertEquals(json("{\"name\": \"result\", \"schema\": {\"type\": \"null\"}}"), method("ping").get("result"));
  }

  @Test
  void futureResultHasTheSchemaOfItsTypeArgument() throws Exception {
    assertEquals(json("{\"type\": \"string\"}"), method("calc.greet").get("result").get("schema"));
  }

  @Test
  void setOfEnumIsAUniqueArrayOfTheConstants() throws Exception {
    assertEquals(json("{\"type\": \"array\", \"items\": {\"type\": \"string\", \"enum\": [\"PLAIN\", \"FANCY\"]},"
        + " \"uniqueItems\": true}"), method("bars").get("params").get(0).get("schema"));
  }

  @Test
  void mapWithStringKeysIsAnObjectWithAdditionalProperties() throws Exception {
    assertEquals(json("{\"type\": \"object\", \"additionalProperties\": {\"$ref\": \"#/components/schemas/test.Bar\"}}"),
        method("bars").get("result").get("schema"));
  }

  @Test
  void bytesAreBase64StringsAndCharIsAOneCharacterString() throws Exception {
    JsonNode params = method("echo").get("params");
    assertEquals(json("{\"type\": \"string\", \"contentEncoding\": \"base64\"}"), params.get(0).get("schema"));
    assertEquals(json("{\"type\": \"array\", \"items\": {\"$ref\": \"#/components/schemas/test.Entry\"}}"),
        params.get(1).get("schema"));
    assertEquals(json("{\"type\": \"string\", \"minLength\": 1, \"maxLength\": 1}"), params.get(2).get("schema"));
  }

  @Test
  void recordIsAnObjectWithItsComponentsAndMayReferToItself() throws Exception {
    assertEquals(json("""
        {"type": "object", "properties": {
          "text": {"type": "string"},
          "value": {"type": "integer", "format": "int32"},
          "kind": {"type": "string", "enum": ["PLAIN", "FANCY"]},
          "at": {"type": "string", "format": "date-time"},
          "replies": {"type": "array", "items": {"$ref": "#/components/schemas/test.Entry"}}}}
        """), document.at("/components/schemas/test.Entry"));
  }

  @Test
  void beanIsAnObjectWithItsPublicFieldsAndGettersNamedAsJacksonNamesThem() throws Exception {
    assertEquals(json("""
        {"type": "object", "properties": {
          "shiny": {"type": "boolean"},
          "name": {"type": "string"},
          "round": {"type": "boolean"},
          "url": {"type": "string"}}}
        """), document.at("/components/schemas/test.Bar"));
  }

  @Test
  void sessionParametersAreNotListed() throws Exception {
    Generated generated = Generated.of(Sources.ACCOUNTS);
    JsonNode accounts = MAPPER.readTree(generated.resource("META-INF/parley/test.Accounts.openrpc.json"));
    assertEquals(json("[{\"name\": \"user\", \"required\": true, \"schema\": {\"type\": \"string\"}}]"),
        accounts.at("/methods/0/params"));
    assertEquals(json("{\"type\": \"integer\", \"format\": \"int64\"}"), accounts.at("/methods/1/result/schema"));
  }

  @Test
  void descriptionComesFromTheJavadocAndIsEscaped() {
    assertEquals("Adds \"two\" numbers.", method("add").get("description").asText());
    assertTrue(text.contains("\"Adds \\\"two\\\" numbers.\""), text);
  }

  @Test
  void nonAsciiAndControlCharactersAreEscapedAndSurviveParsing() throws Exception {
    Generated generated = Generated.of("test.Words", """
        package test;
        public interface Words {
          /** Grüße \\ from "Zürich"\tand 日本. */
          @dev.parley.RemoteFunction(name = "wörter") String words();
        }
        """);
    String json = generated.resource("META-INF/parley/test.Words.openrpc.json");
    assertTrue(json.chars().allMatch(c -> c < 0x7f), json);
    JsonNode method = MAPPER.readTree(json).at("/methods/0");
    assertEquals("wörter", method.get("name").asText());
    assertEquals("Grüße \\ from \"Zürich\"\tand 日本.", method.get("description").asText());
  }

  @Test
  void timeUuidAndNestedGenericTypesMapToStandardSchemas() throws Exception {
    Generated generated = Generated.of(Sources.join(Sources.DATA, new String[] {"test.Times", """
        package test;
        import java.time.*;
        import java.util.*;
        public interface Times {
          @dev.parley.RemoteFunction Map<String, List<Optional<LocalDate>>> plan(
              Instant at, LocalTime time, UUID id, java.math.BigDecimal amount, Map<Kind, Long> counts,
              Map<Long, String> byId, OptionalInt maybe);
        }
        """}));
    JsonNode method = MAPPER.readTree(generated.resource("META-INF/parley/test.Times.openrpc.json")).at("/methods/0");
    assertEquals(json("{\"type\": \"object\", \"additionalProperties\": {\"type\": \"array\","
        + " \"items\": {\"type\": \"string\", \"format\": \"date\"}}}"), method.at("/result/schema"));
    assertEquals(json("{\"type\": \"string\", \"format\": \"date-time\"}"), method.at("/params/0/schema"));
    assertEquals(json("{\"type\": \"string\", \"format\": \"time\"}"), method.at("/params/1/schema"));
    assertEquals(json("{\"type\": \"string\", \"format\": \"uuid\"}"), method.at("/params/2/schema"));
    assertEquals(json("{\"type\": \"number\"}"), method.at("/params/3/schema"));
    assertEquals(json("{\"type\": \"object\", \"propertyNames\": {\"type\": \"string\", \"enum\": [\"PLAIN\", \"FANCY\"]},"
        + " \"additionalProperties\": {\"type\": \"integer\", \"format\": \"int64\"}}"), method.at("/params/4/schema"));
    assertEquals(json("{\"type\": \"object\", \"propertyNames\": {\"pattern\": \"^-?[0-9]+$\"},"
        + " \"additionalProperties\": {\"type\": \"string\"}}"), method.at("/params/5/schema"));
    assertEquals(json("{\"type\": \"integer\", \"format\": \"int32\"}"), method.at("/params/6/schema"));
  }

  @Test
  void genericRecordIsInlinedWithItsTypeArgumentsSubstituted() throws Exception {
    Generated generated = Generated.of(Sources.join(Sources.DATA, new String[] {"test.Page", """
        package test;
        public record Page<T>(java.util.List<T> items, int next) {}
        """, "test.Pages", """
        package test;
        public interface Pages {
          @dev.parley.RemoteFunction Page<Kind> kinds();
        }
        """}));
    JsonNode schema = MAPPER.readTree(generated.resource("META-INF/parley/test.Pages.openrpc.json"))
        .at("/methods/0/result/schema");
    assertEquals(json("""
        {"type": "object", "properties": {
          "items": {"type": "array", "items": {"type": "string", "enum": ["PLAIN", "FANCY"]}},
          "next": {"type": "integer", "format": "int32"}}}
        """), schema);
  }

  @Test
  void outputIsByteForByteTheSameOnEveryCompilation() {
    Generated again = Generated.of(Sources.join(Sources.CALCULATOR, Sources.ACCOUNTS));
    assertEquals(text, again.resource("META-INF/parley/test.Calculator.openrpc.json"));
  }
}
