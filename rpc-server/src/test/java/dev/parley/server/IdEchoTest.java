package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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

  @Test
  void fractionKeepsItsTrailingZero() {
    assertTrue(answerFor("1.50").contains("\"id\":1.50,"), answerFor("1.50"));
  }

  @Test
  void bigIntegerIsEchoedWithAllDigits() {
    String big = "123456789012345678901234567890123456789";
    assertTrue(answerFor(big).contains("\"id\":" + big + ","), answerFor(big));
  }

  @Test
  void exponentNumberIsEchoedAsWritten() {
    assertTrue(answerFor("-1.0E+2").contains("\"id\":-1.0E+2,"), answerFor("-1.0E+2"));
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
