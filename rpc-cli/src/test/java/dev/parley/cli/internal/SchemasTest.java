package dev.parley.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The short forms {@code parley describe} prints for the schemas rpc-codegen writes. */
class SchemasTest {
  private static String text(String schema) {
    return Schemas.text(Json.parse("a schema", schema));
  }

  @Test
  void numbersAreNamedByTheirFormat() {
    assertEquals("int32", text("{\"type\": \"integer\", \"format\": \"int32\"}"));
    assertEquals("int64", text("{\"type\": \"integer\", \"format\": \"int64\"}"));
    assertEquals("integer", text("{\"type\": \"integer\"}"));
    assertEquals("double", text("{\"type\": \"number\", \"format\": \"double\"}"));
    assertEquals("number", text("{\"type\": \"number\"}"));
  }

  @Test
  void stringsShowTheirFormatOrEncoding() {
    assertEquals("string", text("{\"type\": \"string\"}"));
    assertEquals("string(date-time)", text("{\"type\": \"string\", \"format\": \"date-time\"}"));
    assertEquals("string(base64)", text("{\"type\": \"string\", \"contentEncoding\": \"base64\"}"));
  }

  @Test
  void collectionsShowTheirElementTypes() {
    assertEquals("array<string>", text("{\"type\": \"array\", \"items\": {\"type\": \"string\"}}"));
    assertEquals("set<int64>",
        text("{\"type\": \"array\", \"uniqueItems\": true, \"items\": {\"type\": \"integer\", \"format\": \"int64\"}}"));
    assertEquals("map<string, boolean>",
        text("{\"type\": \"object\", \"additionalProperties\": {\"type\": \"boolean\"}}"));
    assertEquals("map<string(uuid), int32>", text("{\"type\": \"object\", \"propertyNames\": {\"type\": \"string\","
        + " \"format\": \"uuid\"}, \"additionalProperties\": {\"type\": \"integer\", \"format\": \"int32\"}}"));
  }

  @Test
  void aReferenceIsNamedByItsTypeWithoutThePackage() {
    assertEquals("Calculator.Entry", text("{\"$ref\": \"#/components/schemas/com.example.calc.Calculator.Entry\"}"));
  }

  @Test
  void anObjectListsItsMembersAndMarksTheOptionalOnes() {
    assertEquals("{name: string, age?: int32}", text("{\"type\": \"object\", \"required\": [\"name\"], \"properties\":"
        + " {\"name\": {\"type\": \"string\"}, \"age\": {\"type\": \"integer\", \"format\": \"int32\"}}}"));
  }

  @Test
  void enumsUnionsAndEmptySchemasHaveShortForms() {
    assertEquals("\"RED\" | \"GREEN\"", text("{\"type\": \"string\", \"enum\": [\"RED\", \"GREEN\"]}"));
    assertEquals("string | null", text("{\"type\": [\"string\", \"null\"]}"));
    assertEquals("int32 | string",
        text("{\"oneOf\": [{\"type\": \"integer\", \"format\": \"int32\"}, {\"type\": \"string\"}]}"));
    assertEquals("any", text("{}"));
    assertEquals("null", text("{\"type\": \"null\"}"));
  }

  @Test
  void aSchemaWithoutAShortFormIsShownAsCompactJson() {
    assertEquals("{\"not\":{\"type\":\"string\"}}", text("{\"not\": {\"type\": \"string\"}}"));
  }
}
