package dev.parley.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@code parley call} turns the words after the function name into params. */
class ParamsTest {
  private static String json(String... words) {
    return Json.compact(Params.asJson(Params.parse(List.of(words), new ByteArrayInputStream(new byte[0]))));
  }

  @Test
  void noWordsAreNoParams() {
    assertNull(Params.parse(List.of(), new ByteArrayInputStream(new byte[0])));
  }

  @Test
  void aNameValueValueIsJsonWhenItParsesAsJsonAndTextOtherwise() {
    assertEquals("{\"a\":1,\"ok\":true,\"none\":null,\"xs\":[1,2],\"name\":\"Ada\",\"zip\":\"007\",\"q\":\"x=y\"}",
        json("a=1", "ok=true", "none=null", "xs=[1,2]", "name=Ada", "zip=\"007\"", "q=x=y"));
  }

  @Test
  void numbersKeepTheirDigits() {
    assertEquals("{\"big\":123456789012345678901234567890,\"small\":0.1}",
        json("big=123456789012345678901234567890", "small=0.1"));
  }

  @Test
  void nameColonEqualsInsistsOnJson() {
    assertEquals("{\"ids\":[1,2]}", json("ids:=[1,2]"));
    CliUsage e = assertThrows(CliUsage.class, () -> json("ids:=[1,2"));
    assertEquals("malformed JSON in the value of ids (line 1, column 5): Unexpected end-of-input: expected close"
        + " marker for Array", e.getMessage());
  }

  @Test
  void oneJsonObjectOrArrayIsTheParams() {
    assertEquals("{\"a\":1,\"b\":2}", json(" {\"a\": 1, \"b\": 2}"));
    assertEquals("[1,2]", json("[1, 2]"));
  }

  @Test
  void aDashReadsTheParamsFromStandardInput() {
    Object params = Params.parse(List.of("-"),
        new ByteArrayInputStream("[3, 4]\n".getBytes(StandardCharsets.UTF_8)));
    assertEquals("[3,4]", Json.compact(Params.asJson(params)));
  }

  @Test
  void jsonThatIsNotAnObjectOrArrayIsRefused() {
    CliUsage e = assertThrows(CliUsage.class, () -> Params.parse(List.of("-"),
        new ByteArrayInputStream("42".getBytes(StandardCharsets.UTF_8))));
    assertEquals("the params on standard input must be a JSON object (params by name) or array (by position),"
        + " not a number; for one param by name write name=value", e.getMessage());
  }

  @Test
  void repeatedNamesDuplicateMembersAndMixedFormsAreRefused() {
    assertEquals("the param a is given twice", assertThrows(CliUsage.class, () -> json("a=1", "a=2")).getMessage());
    assertThrows(CliUsage.class, () -> json("{\"a\": 1, \"a\": 2}"));
    assertThrows(CliUsage.class, () -> json("a=1", "[2]"));
    assertThrows(CliUsage.class, () -> json("=1"));
  }

  @Test
  void trailingTextAfterTheJsonIsRefused() {
    assertThrows(CliUsage.class, () -> json("{\"a\": 1} {\"b\": 2}"));
  }
}
