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
    assertEquals(json("{\"name\": \"prefix\", \"required\": false, \"schema\": {\"type\": [\"string\", \"null\"]}}"),
        prefix);
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
    assertEquals(json("{\"type\": [\"string\", \"null\"]}"), method("calc.greet").get("result").get("schema"));
  }

  @Test
  void setOfEnumIsAUniqueArrayOfTheConstants() throws Exception {
    assertEquals(json("{\"type\": [\"array\", \"null\"], \"items\": {\"type\": [\"string\", \"null\"],"
        + " \"enum\": [\"PLAIN\", \"FANCY\", null]}, \"uniqueItems\": true}"), method("bars").get("params").get(0).get("schema"));
  }

  @Test
  void mapWithStringKeysIsAnObjectWithAdditionalProperties() throws Exception {
    assertEquals(json("{\"type\": [\"object\", \"null\"], \"additionalProperties\":"
        + " {\"oneOf\": [{\"$ref\": \"#/components/schemas/test.Bar\"}, {\"type\": \"null\"}]}}"),
        method("bars").get("result").get("schema"));
  }

  @Test
  void bytesAreBase64StringsAndCharIsAOneCharacterString() throws Exception {
    JsonNode params = method("echo").get("params");
    assertEquals(json("{\"type\": [\"string\", \"null\"], \"contentEncoding\": \"base64\"}"), params.get(0).get("schema"));
    assertEquals(json("{\"type\": [\"array\", \"null\"], \"items\":"
        + " {\"oneOf\": [{\"$ref\": \"#/components/schemas/test.Entry\"}, {\"type\": \"null\"}]}}"),
        params.get(1).get("schema"));
    assertEquals(json("{\"type\": \"string\", \"minLength\": 1, \"maxLength\": 1}"), params.get(2).get("schema"));
  }

  @Test
  void recordIsAnObjectWithItsComponentsAndMayReferToItself() throws Exception {
    assertEquals(json("""
        {"type": "object", "properties": {
          "text": {"type": ["string", "null"]},
          "value": {"type": "integer", "format": "int32"},
          "kind": {"type": ["string", "null"], "enum": ["PLAIN", "FANCY", null]},
          "at": {"type": ["string", "null"], "format": "date-time"},
          "replies": {"type": ["array", "null"], "items":
              {"oneOf": [{"$ref": "#/components/schemas/test.Entry"}, {"type": "null"}]}}}}
        """), document.at("/components/schemas/test.Entry"));
  }

  @Test
  void beanIsAnObjectWithItsPublicFieldsAndGettersNamedAsJacksonNamesThem() throws Exception {
    assertEquals(json("""
        {"type": "object", "properties": {
          "shiny": {"type": "boolean"},
          "name": {"type": ["string", "null"]},
          "round": {"type": "boolean"},
          "url": {"type": ["string", "null"]}}}
        """), document.at("/components/schemas/test.Bar"));
  }

  @Test
  void sessionParametersAreNotListed() throws Exception {
    Generated generated = Generated.of(Sources.ACCOUNTS);
    JsonNode accounts = MAPPER.readTree(generated.resource("META-INF/parley/test.Accounts.openrpc.json"));
    assertEquals(json("[{\"name\": \"user\", \"required\": true, \"schema\": {\"type\": [\"string\", \"null\"]}}]"),
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
    assertEquals(json("{\"type\": [\"object\", \"null\"], \"additionalProperties\": {\"type\": [\"array\", \"null\"],"
        + " \"items\": {\"type\": [\"string\", \"null\"], \"format\": \"date\"}}}"), method.at("/result/schema"));
    assertEquals(json("{\"type\": [\"string\", \"null\"], \"format\": \"date-time\"}"), method.at("/params/0/schema"));
    assertEquals(json("{\"type\": [\"string\", \"null\"]}"), method.at("/params/1/schema"), "LocalTime has no offset");
    assertEquals(json("{\"type\": [\"string\", \"null\"], \"format\": \"uuid\"}"), method.at("/params/2/schema"));
    assertEquals(json("{\"type\": [\"number\", \"null\"]}"), method.at("/params/3/schema"));
    assertEquals(json("{\"type\": [\"object\", \"null\"], \"propertyNames\": {\"type\": \"string\","
        + " \"enum\": [\"PLAIN\", \"FANCY\"]}, \"additionalProperties\": {\"type\": [\"integer\", \"null\"],"
        + " \"format\": \"int64\"}}"), method.at("/params/4/schema"));
    assertEquals(json("{\"type\": [\"object\", \"null\"], \"propertyNames\": {\"pattern\": \"^-?[0-9]+$\"},"
        + " \"additionalProperties\": {\"type\": [\"string\", \"null\"]}}"), method.at("/params/5/schema"));
    assertEquals(json("{\"type\": [\"integer\", \"null\"], \"format\": \"int32\"}"), method.at("/params/6/schema"));
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
        {"type": ["object", "null"], "properties": {
          "items": {"type": ["array", "null"], "items": {"type": ["string", "null"], "enum": ["PLAIN", "FANCY", null]}},
          "next": {"type": "integer", "format": "int32"}}}
        """), schema);
  }

  @Test
  void outputIsByteForByteTheSameOnEveryCompilation() {
    Generated again = Generated.of(Sources.join(Sources.CALCULATOR, Sources.ACCOUNTS));
    assertEquals(text, again.resource("META-INF/parley/test.Calculator.openrpc.json"));
  }

  @Test
  void everyMethodSaysItTakesParamsByNameOrByPosition() {
    document.get("methods").forEach(m -> assertEquals("either", m.get("paramStructure").asText(), m.toString()));
  }

  /** The OpenRPC document generated for the interface {@code test.NAME} that {@code source} declares. */
  private static JsonNode documentOf(String name, String source) throws Exception {
    Generated generated = Generated.of("test." + name, source);
    return MAPPER.readTree(generated.resource("META-INF/parley/test." + name + ".openrpc.json"));
  }

  private static JsonNode onlyMethod(String name, String source) throws Exception {
    Generated generated = Generated.of(Sources.join(Sources.DATA, new String[] {"test." + name, source}));
    return MAPPER.readTree(generated.resource("META-INF/parley/test." + name + ".openrpc.json")).at("/methods/0");
  }

  @Test
  void jsonNodeResultAndParamHaveTheEmptySchema() throws Exception {
    JsonNode method = onlyMethod("Any", """
        package test;
        import com.fasterxml.jackson.databind.JsonNode;
        import com.fasterxml.jackson.databind.node.ObjectNode;
        public interface Any {
          @dev.parley.RemoteFunction JsonNode echo(ObjectNode value);
        }
        """);
    assertEquals(json("{}"), method.at("/result/schema"));
    assertEquals(json("{}"), method.at("/params/0/schema"));
  }

  @Test
  void jsonNodeFieldOfARecordHasTheEmptySchema() throws Exception {
    JsonNode document = documentOf("Holder", """
        package test;
        public interface Holder {
          record Box(String label, com.fasterxml.jackson.databind.JsonNode content) {}
          @dev.parley.RemoteFunction Box box();
        }
        """);
    assertEquals(json("{}"), document.at("/components/schemas/test.Holder.Box/properties/content"));
  }

  @Test
  void polymorphicAbstractClassHasTheEmptySchema() throws Exception {
    JsonNode method = onlyMethod("Shapes", """
        package test;
        import com.fasterxml.jackson.annotation.JsonSubTypes;
        import com.fasterxml.jackson.annotation.JsonTypeInfo;
        public interface Shapes {
          @JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
          @JsonSubTypes({@JsonSubTypes.Type(Circle.class)})
          abstract class Shape {}
          final class Circle extends Shape { public double radius; }
          @dev.parley.RemoteFunction Shape largest();
        }
        """);
    assertEquals(json("{}"), method.at("/result/schema"));
  }

  @Test
  void stringResultMayBeNullAndSaysSo() throws Exception {
    JsonNode method = onlyMethod("Names", """
        package test;
        public interface Names {
          @dev.parley.RemoteFunction String nameOf(int id);
        }
        """);
    assertEquals(json("{\"type\": [\"string\", \"null\"]}"), method.at("/result/schema"));
    assertEquals(json("{\"type\": \"integer\", \"format\": \"int32\"}"), method.at("/params/0/schema"));
  }

  @Test
  void optionalRecordFieldMayBeNullAndSaysSo() throws Exception {
    JsonNode document = documentOf("People", """
        package test;
        import java.util.Optional;
        public interface People {
          record Person(String name, Optional<String> nickname, int age) {}
          @dev.parley.RemoteFunction Person find(int id);
        }
        """);
    assertEquals(json("{\"type\": [\"string\", \"null\"]}"),
        document.at("/components/schemas/test.People.Person/properties/nickname"));
    assertEquals(json("{\"type\": \"integer\", \"format\": \"int32\"}"),
        document.at("/components/schemas/test.People.Person/properties/age"));
    assertEquals(json("{\"oneOf\": [{\"$ref\": \"#/components/schemas/test.People.Person\"}, {\"type\": \"null\"}]}"),
        document.at("/methods/0/result/schema"));
  }

  @Test
  void valuesDeclaredNonNullDoNotAcceptNull() throws Exception {
    JsonNode document = documentOf("Strict", """
        package test;
        import java.lang.annotation.ElementType;
        import java.lang.annotation.Target;
        import java.util.List;
        import java.util.Optional;
        public interface Strict {
          @Target({ElementType.METHOD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
          @interface NonNull {}
          record Tag(@NonNull String name, String note, @NonNull Optional<String> color) {}
          @dev.parley.RemoteFunction @NonNull String label(@NonNull String key, List<@NonNull Tag> tags);
        }
        """);
    assertEquals(json("{\"type\": \"string\"}"), document.at("/methods/0/result/schema"));
    assertEquals(json("{\"type\": \"string\"}"), document.at("/methods/0/params/0/schema"));
    assertEquals(json("{\"type\": [\"array\", \"null\"], \"items\": {\"$ref\": \"#/components/schemas/test.Strict.Tag\"}}"),
        document.at("/methods/0/params/1/schema"));
    JsonNode tag = document.at("/components/schemas/test.Strict.Tag/properties");
    assertEquals(json("{\"type\": \"string\"}"), tag.get("name"));
    assertEquals(json("{\"type\": [\"string\", \"null\"]}"), tag.get("note"));
    assertEquals(json("{\"type\": [\"string\", \"null\"]}"), tag.get("color"), "an empty Optional is written as null");
  }
}
