package dev.parley.server;

import static dev.parley.server.ServerHarness.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every example of the JSON-RPC 2.0 specification's "Examples" section
 * (https://www.jsonrpc.org/specification#examples), sent as raw bodies, with the exact answers the
 * specification gives. Batch answers are compared as sets, since their order is free.
 */
class SpecificationExamplesTest {
  private static final AtomicInteger NOTIFICATIONS = new AtomicInteger();
  private static ServerHarness harness;

  @BeforeAll
  static void start() {
    HandWrittenFunctions functions = new HandWrittenFunctions("spec.Examples")
        .subtract()
        .fn("sum", List.of("a", "b", "c"),
            (a, s) -> a.<Integer>get(0, "a", int.class) + a.<Integer>get(1, "b", int.class) + a.<Integer>get(2, "c", int.class))
        .fn("update", List.of("a", "b", "c", "d", "e"), (a, s) -> {
          NOTIFICATIONS.incrementAndGet();
          return null;
        })
        .fn("notify_hello", List.of("n"), (a, s) -> {
          NOTIFICATIONS.incrementAndGet();
          return null;
        })
        .fn("notify_sum", List.of("a", "b", "c"), (a, s) -> {
          NOTIFICATIONS.incrementAndGet();
          return null;
        })
        .fn("get_data", List.of(), (a, s) -> List.of("hello", 5));
    harness = new ServerHarness(ServerModule.builder("/spec").functions(functions).build());
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static void assertAnswer(String request, String expected) {
    ServerHarness.Answer answer = harness.post(request);
    assertEquals(200, answer.status());
    assertEquals("application/json", answer.contentType());
    assertEquals(tree(expected), answer.json());
  }

  private static void assertBatchAnswer(String request, String expected) {
    ServerHarness.Answer answer = harness.post(request);
    assertEquals(200, answer.status());
    JsonNode actual = answer.json();
    assertTrue(actual.isArray(), "a batch is answered with an array: " + answer.body());
    Set<JsonNode> actualSet = new HashSet<>();
    actual.forEach(actualSet::add);
    Set<JsonNode> expectedSet = new HashSet<>();
    tree(expected).forEach(expectedSet::add);
    assertEquals(expectedSet, actualSet);
    assertEquals(tree(expected).size(), actual.size());
  }

  private static void assertNoAnswer(String request) {
    ServerHarness.Answer answer = harness.post(request);
    assertEquals(204, answer.status());
    assertEquals("", answer.body());
  }

  @Test
  void positionalParametersAreAnsweredInOrder() {
    assertAnswer("{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": [42, 23], \"id\": 1}",
        "{\"jsonrpc\": \"2.0\", \"result\": 19, \"id\": 1}");
    assertAnswer("{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": [23, 42], \"id\": 2}",
        "{\"jsonrpc\": \"2.0\", \"result\": -19, \"id\": 2}");
  }

  @Test
  void namedParametersAreMatchedByName() {
    assertAnswer("{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": {\"subtrahend\": 23, \"minuend\": 42}, \"id\": 3}",
        "{\"jsonrpc\": \"2.0\", \"result\": 19, \"id\": 3}");
    assertAnswer("{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": {\"minuend\": 42, \"subtrahend\": 23}, \"id\": 4}",
        "{\"jsonrpc\": \"2.0\", \"result\": 19, \"id\": 4}");
  }

  @Test
  void notificationsGetNoAnswer() {
    int before = NOTIFICATIONS.get();
    assertNoAnswer("{\"jsonrpc\": \"2.0\", \"method\": \"update\", \"params\": [1,2,3,4,5]}");
    assertNoAnswer("{\"jsonrpc\": \"2.0\", \"method\": \"foobar\"}");
    assertEquals(before + 1, NOTIFICATIONS.get());
  }

  @Test
  void nonExistentMethodIsMethodNotFound() {
    assertAnswer("{\"jsonrpc\": \"2.0\", \"method\": \"foobar\", \"id\": \"1\"}",
        "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32601, \"message\": \"Method not found\"}, \"id\": \"1\"}");
  }

  @Test
  void invalidJsonIsParseError() {
    assertAnswer("{\"jsonrpc\": \"2.0\", \"method\": \"foobar, \"params\": \"bar\", \"baz]",
        "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32700, \"message\": \"Parse error\"}, \"id\": null}");
  }

  @Test
  void invalidRequestObjectIsInvalidRequest() {
    assertAnswer("{\"jsonrpc\": \"2.0\", \"method\": 1, \"params\": \"bar\"}",
        "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600, \"message\": \"Invalid Request\"}, \"id\": null}");
  }

  @Test
  void batchWithInvalidJsonIsOneParseError() {
    assertAnswer("[\n  {\"jsonrpc\": \"2.0\", \"method\": \"sum\", \"params\": [1,2,4], \"id\": \"1\"},\n"
            + "  {\"jsonrpc\": \"2.0\", \"method\"\n]",
        "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32700, \"message\": \"Parse error\"}, \"id\": null}");
  }

  @Test
  void emptyBatchIsOneInvalidRequestNotAnArray() {
    assertAnswer("[]",
        "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600, \"message\": \"Invalid Request\"}, \"id\": null}");
  }

  @Test
  void batchOfOneNonObjectIsAnArrayOfOneInvalidRequest() {
    assertAnswer("[1]",
        "[{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600, \"message\": \"Invalid Request\"}, \"id\": null}]");
  }

  @Test
  void batchOfThreeNonObjectsIsThreeInvalidRequests() {
    String error = "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600, \"message\": \"Invalid Request\"}, \"id\": null}";
    assertAnswer("[1,2,3]", "[" + error + "," + error + "," + error + "]");
  }

  @Test
  void mixedBatchAnswersEveryRequestButNoNotification() {
    int before = NOTIFICATIONS.get();
    assertBatchAnswer("[\n"
            + "  {\"jsonrpc\": \"2.0\", \"method\": \"sum\", \"params\": [1,2,4], \"id\": \"1\"},\n"
            + "  {\"jsonrpc\": \"2.0\", \"method\": \"notify_hello\", \"params\": [7]},\n"
            + "  {\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": [42,23], \"id\": \"2\"},\n"
            + "  {\"foo\": \"boo\"},\n"
            + "  {\"jsonrpc\": \"2.0\", \"method\": \"foo.get\", \"params\": {\"name\": \"myself\"}, \"id\": \"5\"},\n"
            + "  {\"jsonrpc\": \"2.0\", \"method\": \"get_data\", \"id\": \"9\"}\n"
            + "]",
        "[\n"
            + "  {\"jsonrpc\": \"2.0\", \"result\": 7, \"id\": \"1\"},\n"
            + "  {\"jsonrpc\": \"2.0\", \"result\": 19, \"id\": \"2\"},\n"
            + "  {\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600, \"message\": \"Invalid Request\"}, \"id\": null},\n"
            + "  {\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32601, \"message\": \"Method not found\"}, \"id\": \"5\"},\n"
            + "  {\"jsonrpc\": \"2.0\", \"result\": [\"hello\", 5], \"id\": \"9\"}\n"
            + "]");
    assertEquals(before + 1, NOTIFICATIONS.get());
  }

  @Test
  void batchOfOnlyNotificationsGetsNoAnswer() {
    int before = NOTIFICATIONS.get();
    assertNoAnswer("[\n"
        + "  {\"jsonrpc\": \"2.0\", \"method\": \"notify_sum\", \"params\": [1,2,4]},\n"
        + "  {\"jsonrpc\": \"2.0\", \"method\": \"notify_hello\", \"params\": [7]}\n"
        + "]");
    assertEquals(before + 2, NOTIFICATIONS.get());
  }
}
