package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.RemoteException;
import dev.parley.TypeRef;
import dev.parley.internal.Json;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each kind of bad input or failing function gets its JSON-RPC error, as HTTP 200. */
class ErrorAnswersTest {
  private static final AtomicInteger FAILED_NOTIFICATIONS = new AtomicInteger();
  private static final Type OPTIONAL_STRING = new TypeRef<Optional<String>>() {}.type();
  private static ServerHarness harness;

  /** A result Jackson cannot serialise. */
  public static final class Unserialisable {
    public String getValue() {
      throw new IllegalStateException("cannot read value");
    }
  }

  @BeforeAll
  static void start() {
    HandWrittenFunctions functions = new HandWrittenFunctions("test.Errors")
        .fn("add", List.of("a", "b"), (a, s) -> a.<Integer>get(0, "a", int.class) + a.<Integer>get(1, "b", int.class))
        .fn("greet", List.of("name"), (a, s) -> "hello " + a.get(0, "name", String.class))
        .fn("maybe", List.of("x"), (a, s) -> a.<Optional<String>>get(0, "x", OPTIONAL_STRING).orElse("none"))
        .fn("fail", List.of(), (a, s) -> {
          throw new IllegalStateException("disk is full");
        })
        .fn("failWithoutMessage", List.of(), (a, s) -> {
          throw new RuntimeException();
        })
        .fn("custom", List.of(), (a, s) -> {
          throw new RemoteException(42, "custom failure", Json.MAPPER.readTree("{\"retryIn\":5}"));
        })
        .fn("unserialisable", List.of(), (a, s) -> new Unserialisable())
        .fn("failQuietly", List.of(), (a, s) -> {
          FAILED_NOTIFICATIONS.incrementAndGet();
          throw new IllegalStateException("nobody hears this");
        })
        .fn("crash", List.of(), (a, s) -> {
          throw new AssertionError("broken invariant");
        });
    harness = new ServerHarness(ServerModule.builder("/errors").functions(functions).build());
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static JsonNode error(String body) {
    ServerHarness.Answer answer = harness.post(body);
    assertEquals(200, answer.status(), answer.body());
    assertEquals("application/json", answer.contentType());
    JsonNode json = answer.json();
    assertEquals("2.0", json.get("jsonrpc").asText());
    assertTrue(json.has("error"), answer.body());
    assertFalse(json.has("result"), answer.body());
    return json;
  }

  private static void assertCode(int code, JsonNode json) {
    assertEquals(code, json.get("error").get("code").asInt(), json.toString());
  }

  @Test
  void trailingGarbageIsParseError() {
    JsonNode json = error("{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":[1,2],\"id\":1} x");
    assertCode(-32700, json);
    assertTrue(json.get("id").isNull());
  }

  /** Requests answered with an error code and nothing more to check, by the rule each breaks. */
  static Stream<Arguments> requestsAndTheirErrorCodes() {
    return Stream.of(
        // -32700: a second value after the first, an empty body
        Arguments.of(-32700, "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":[1,2],\"id\":1}{}"),
        Arguments.of(-32700, ""),
        // -32600: a wrong, numeric or missing version, a method that is no string or missing, scalar or null
        // params, a repeated member, an invalid request without an id (still answered)
        Arguments.of(-32600, "{\"jsonrpc\":\"1.0\",\"method\":\"add\",\"params\":[1,2],\"id\":1}"),
        Arguments.of(-32600, "{\"jsonrpc\":2.0,\"method\":\"add\",\"params\":[1,2],\"id\":1}"),
        Arguments.of(-32600, "{\"method\":\"add\",\"params\":[1,2],\"id\":1}"),
        Arguments.of(-32600, "{\"jsonrpc\":\"2.0\",\"method\":[\"add\"],\"id\":1}"),
        Arguments.of(-32600, "{\"jsonrpc\":\"2.0\",\"params\":[1,2],\"id\":1}"),
        Arguments.of(-32600, "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":3,\"id\":1}"),
        Arguments.of(-32600, "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":null,\"id\":1}"),
        Arguments.of(-32600, "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"method\":\"fail\",\"params\":[1,2],\"id\":1}"),
        Arguments.of(-32600, "{\"jsonrpc\":\"2.0\",\"method\":5}"),
        // -32601: an unknown method, a reserved rpc. method
        Arguments.of(-32601, "{\"jsonrpc\":\"2.0\",\"method\":\"nope\",\"id\":1}"),
        Arguments.of(-32601, "{\"jsonrpc\":\"2.0\",\"method\":\"rpc.other\",\"id\":1}"),
        // -32602: too few or too many positional parameters, null for a primitive
        Arguments.of(-32602, "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":[1],\"id\":1}"),
        Arguments.of(-32602, "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":[1,2,3],\"id\":1}"),
        Arguments.of(-32602, "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":[null,2],\"id\":1}"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("requestsAndTheirErrorCodes")
  void requestThatBreaksARuleIsAnsweredWithItsErrorCode(int code, String body) {
    assertCode(code, error(body));
  }

  /** An invalid request with a valid id, and a call whose result cannot be serialised. */
  static Stream<Arguments> errorsWithTheirIds() {
    return Stream.of(
        Arguments.of("{\"jsonrpc\":\"1.0\",\"method\":\"add\",\"id\":7}", -32600, 7),
        Arguments.of("{\"jsonrpc\":\"2.0\",\"method\":\"unserialisable\",\"id\":3}", -32603, 3));
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("errorsWithTheirIds")
  void errorAnswerEchoesTheRequestsId(String body, int code, int id) {
    JsonNode json = error(body);
    assertCode(code, json);
    assertEquals(id, json.get("id").asInt());
  }

  /** An id that is an object, an array or a boolean. */
  @ParameterizedTest
  @ValueSource(strings = {
      "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":[1,2],\"id\":{\"a\":1}}",
      "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":[1,2],\"id\":[1]}",
      "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":[1,2],\"id\":true}"})
  void idThatIsNoStringNumberOrNullIsInvalidRequestWithNullId(String body) {
    JsonNode json = error(body);
    assertCode(-32600, json);
    assertTrue(json.get("id").isNull());
  }

  @Test
  void missingPrimitiveParameterIsInvalidParamsNamingIt() {
    JsonNode json = error("{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":{\"a\":1},\"id\":1}");
    assertCode(-32602, json);
    assertTrue(json.get("error").get("message").asText().contains("'b'"), json.toString());
  }

  @Test
  void unknownNamedParameterIsInvalidParamsNamingIt() {
    JsonNode json = error("{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":{\"a\":1,\"b\":2,\"c\":3},\"id\":1}");
    assertCode(-32602, json);
    assertTrue(json.get("error").get("message").asText().contains("'c'"), json.toString());
  }

  @Test
  void undecodableValueIsInvalidParamsWithoutEchoingIt() {
    String huge = "x".repeat(10_000);
    JsonNode json = error("{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":[\"" + huge + "\",2],\"id\":1}");
    assertCode(-32602, json);
    String message = json.get("error").get("message").asText();
    assertTrue(message.contains("'a'"), message);
    assertFalse(message.contains("xxxxxxxx"), message);
  }

  /** A missing reference parameter is null; a missing Optional parameter is empty. */
  @ParameterizedTest(name = "{1} for {0}")
  @CsvSource(delimiter = '|', value = {
      "{\"jsonrpc\":\"2.0\",\"method\":\"greet\",\"params\":{},\"id\":1} | hello null",
      "{\"jsonrpc\":\"2.0\",\"method\":\"maybe\",\"id\":1}               | none"})
  void missingParameterTakesItsEmptyValue(String body, String result) {
    assertEquals(result, harness.post(body).json().get("result").asText());
  }

  @Test
  void throwingFunctionIsServerErrorWithAGenericMessageAndNoJavaDetails() {
    ServerHarness.Answer answer = harness.post("{\"jsonrpc\":\"2.0\",\"method\":\"fail\",\"id\":1}");
    JsonNode json = answer.json();
    assertCode(-32000, json);
    assertEquals("Server error", json.get("error").get("message").asText());
    assertFalse(answer.body().contains("disk is full"), answer.body());
    assertFalse(json.get("error").has("data"), answer.body());
    assertFalse(answer.body().contains("Exception"), answer.body());
    assertFalse(answer.body().contains("at dev."), answer.body());
    assertFalse(answer.body().contains("java."), answer.body());
  }

  @Test
  void moduleThatExposesErrorMessagesAnswersTheExceptionsMessage() {
    HandWrittenFunctions functions = new HandWrittenFunctions("test.Exposed")
        .fn("fail", List.of(), (a, s) -> {
          throw new IllegalStateException("disk is full");
        });
    ServerModule module = ServerModule.builder("/exposed").functions(functions).exposeErrorMessages(true).build();
    try (ServerHarness exposed = new ServerHarness(module)) {
      ServerHarness.Answer answer = exposed.post("{\"jsonrpc\":\"2.0\",\"method\":\"fail\",\"id\":1}");
      assertCode(-32000, answer.json());
      assertEquals("disk is full", answer.json().get("error").get("message").asText());
      assertFalse(answer.body().contains("Exception"), answer.body());
    }
    assertTrue(module.exposesErrorMessages());
  }

  @Test
  void throwingFunctionWithoutMessageGetsAGenericMessage() {
    JsonNode json = error("{\"jsonrpc\":\"2.0\",\"method\":\"failWithoutMessage\",\"id\":1}");
    assertCode(-32000, json);
    assertEquals("Server error", json.get("error").get("message").asText());
  }

  @Test
  void remoteExceptionIsAnsweredWithItsCodeMessageAndData() {
    JsonNode json = error("{\"jsonrpc\":\"2.0\",\"method\":\"custom\",\"id\":1}");
    assertCode(42, json);
    assertEquals("custom failure", json.get("error").get("message").asText());
    assertEquals(5, json.get("error").get("data").get("retryIn").asInt());
  }

  @Test
  void unserialisableResultInABatchSpoilsOnlyItsOwnAnswer() {
    ServerHarness.Answer answer = harness.post("[{\"jsonrpc\":\"2.0\",\"method\":\"unserialisable\",\"id\":1},"
        + "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":[1,2],\"id\":2}]");
    JsonNode json = answer.json();
    assertEquals(2, json.size(), answer.body());
    for (JsonNode element : json) {
      if (element.get("id").asInt() == 1) {
        assertCode(-32603, element);
      } else {
        assertEquals(3, element.get("result").asInt());
      }
    }
  }

  @Test
  void failingNotificationIsStillNotAnsweredButCounted() {
    int before = FAILED_NOTIFICATIONS.get();
    long counted = harness.module.failedNotifications();
    ServerHarness.Answer answer = harness.post("{\"jsonrpc\":\"2.0\",\"method\":\"failQuietly\"}");
    assertEquals(204, answer.status());
    assertEquals("", answer.body());
    assertEquals(before + 1, FAILED_NOTIFICATIONS.get());
    assertEquals(counted + 1, harness.module.failedNotifications());
  }

  @Test
  void notificationWithBadParamsIsNotAnsweredButCounted() {
    long counted = harness.module.failedNotifications();
    ServerHarness.Answer answer = harness.post("{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":[1,2.5]}");
    assertEquals(204, answer.status());
    assertEquals(counted + 1, harness.module.failedNotifications());
  }

  @Test
  void notificationsOfUnknownFunctionsAndWithTooManyParamsInABatchAreCountedEach() {
    long counted = harness.module.failedNotifications();
    ServerHarness.Answer answer = harness.post("[{\"jsonrpc\":\"2.0\",\"method\":\"nope\"},"
        + "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":[1,2,3]},"
        + "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":[1,2]}]");
    assertEquals(204, answer.status());
    assertEquals(counted + 2, harness.module.failedNotifications());
  }

  @Test
  void jvmErrorIsNotSwallowed() {
    ServerHarness.Answer answer = harness.post("{\"jsonrpc\":\"2.0\",\"method\":\"crash\",\"id\":1}");
    assertEquals(500, answer.status());
    assertFalse(answer.body().contains("broken invariant"), answer.body());
  }
}
