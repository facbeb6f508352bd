package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The answer's id is the request's id, byte for byte. */
class IdEchoTest {
  private static ServerHarness harness;

  @BeforeAll
  static void start() {
    harness = new ServerHarness(ServerModule.builder("/ids")
        .functions(new HandWrittenFunctions("test.Ids").fn("ping", List.of(), (a, s) -> "pong")).build());
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static String answerFor(String id) {
    ServerHarness.Answer answer = harness.post("{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"id\":" + id + "}");
    assertEquals(200, answer.status());
    return answer.body();
  }

  /** A fraction keeps its trailing zero, a big integer all its digits, an exponent its form. */
  @ParameterizedTest
  @ValueSource(strings = {"1.50", "123456789012345678901234567890123456789", "-1.0E+2"})
  void numberIdIsEchoedAsWritten(String id) {
    assertTrue(answerFor(id).contains("\"id\":" + id + ","), answerFor(id));
  }

  @Test
  void stringIdIsEchoed() {
    ServerHarness.Answer answer = harness.post("{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"id\":\"a\\\"b\u00e9\"}");
    assertEquals("a\"b\u00e9", answer.json().get("id").asText());
  }

  @Test
  void nullIdIsARequestAndIsAnswered() {
    ServerHarness.Answer answer = harness.post("{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"id\":null}");
    assertEquals(200, answer.status());
    assertEquals("pong", answer.json().get("result").asText());
    assertTrue(answer.json().get("id").isNull());
  }

  @Test
  void idBeforeMethodIsFound() {
    ServerHarness.Answer answer = harness.post("{\"id\":9,\"params\":[],\"method\":\"ping\",\"jsonrpc\":\"2.0\"}");
    assertEquals(9, answer.json().get("id").asInt());
    assertEquals("pong", answer.json().get("result").asText());
  }
}
