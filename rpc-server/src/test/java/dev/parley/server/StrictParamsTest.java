package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.TypeRef;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Parameters decode strictly (docs/ERRORS.md, -32602): over a real Jetty and OkHttp, each value of
 * the wrong JSON form is refused with an answer naming the parameter, and exact numbers come back
 * exactly.
 */
class StrictParamsTest {
  private static ServerHarness harness;

  @BeforeAll
  static void start() {
    HandWrittenFunctions functions = new HandWrittenFunctions("test.Strict")
        .subtract()
        .fn("twice", List.of("value"), (a, s) -> 2 * a.<Long>get(0, "value", long.class))
        .fn("negate", List.of("flag"), (a, s) -> !a.<Boolean>get(0, "flag", boolean.class))
        .fn("shout", List.of("text"), (a, s) -> a.<String>get(0, "text", String.class).toUpperCase())
        .fn("sumAll", List.of("values"),
            (a, s) -> a.<List<Integer>>get(0, "values", new TypeRef<List<Integer>>() {}.type())
                .stream().mapToInt(Integer::intValue).sum())
        .fn("echoDecimal", List.of("amount"), (a, s) -> a.<BigDecimal>get(0, "amount", BigDecimal.class))
        .fn("echoInteger", List.of("count"), (a, s) -> a.<BigInteger>get(0, "count", BigInteger.class));
    harness = new ServerHarness(ServerModule.builder("/strict").functions(functions).build());
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static String call(String method, String params) {
    return "{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\",\"params\":" + params + ",\"id\":1}";
  }

  /** Asserts a -32602 answer whose message names {@code parameter} and not the value sent. */
  private static void assertRefused(String method, String params, String parameter, String sentValue) {
    ServerHarness.Answer answer = harness.post(call(method, params));
    assertEquals(200, answer.status(), answer.body());
    JsonNode error = answer.json().get("error");
    assertEquals(-32602, error.get("code").asInt(), answer.body());
    String message = error.get("message").asText();
    assertTrue(message.startsWith("Invalid params: parameter '" + parameter + "'"), message);
    assertFalse(message.contains(sentValue), message);
    assertEquals(1, answer.json().get("id").asInt());
  }

  private static JsonNode result(String method, String params) {
    ServerHarness.Answer answer = harness.post(call(method, params));
    assertTrue(answer.json().has("result"), answer.body());
    return answer.json().get("result");
  }

  /**
   * A value of the wrong JSON form, the parameter it was sent for and how it was written: a
   * fraction for an int or a named long, a decimal point for an int even without a fraction, a
   * string for a long, a number for a boolean or a string, a fraction inside a list.
   */
  @ParameterizedTest(name = "{0}{1}")
  @CsvSource(delimiter = '|', value = {
      "subtract | [5,3.7]            | subtrahend | 3.7",
      "twice    | {\"value\":1.5}    | value      | 1.5",
      "subtract | [5.0,3]            | minuend    | 5.0",
      "twice    | [\"12\"]           | value      | 12",
      "negate   | [1]                | flag       | 1",
      "shout    | [12345]            | text       | 12345",
      "sumAll   | [[1,2,3.5]]        | values     | 3.5"})
  void valueOfTheWrongJsonFormIsRefusedNamingTheParameter(String method, String params, String parameter,
      String sentValue) {
    assertRefused(method, params, parameter, sentValue);
  }

  @Test
  void integerValuesAreStillAccepted() {
    assertEquals(2, result("subtract", "[5,3]").asInt());
    assertEquals(-6, result("sumAll", "[[-1,-2,-3]]").asInt());
  }

  /** A BigDecimal with every digit, one with its scale, a BigInteger with every digit. */
  @ParameterizedTest(name = "{0}{1}")
  @CsvSource(delimiter = '|', value = {
      "echoDecimal | [0.1000000000000000000001]       | 0.1000000000000000000001",
      "echoDecimal | {\"amount\":2.50}                | 2.50",
      "echoInteger | [123456789012345678901234567890] | 123456789012345678901234567890"})
  void exactNumberParameterComesBackAsItWasWritten(String method, String params, String written) {
    ServerHarness.Answer answer = harness.post(call(method, params));
    assertTrue(answer.body().contains("\"result\":" + written), answer.body());
  }
}
