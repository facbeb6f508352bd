package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.CallOutcome;
import dev.parley.RemoteException;
import dev.parley.RpcTimeoutException;
import dev.parley.TransportException;
import dev.parley.TypeRef;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientModuleCallTest {
  @RegisterExtension
  final FakeCalc fake = new FakeCalc();

  @Test
  void callReturnsTheDecodedResult() {
    fake.server.result("3");
    assertEquals(3, fake.calc.call("add", Map.of("a", 1, "b", 2), Integer.class));
  }

  @Test
  void callPostsAJsonRpcRequestWithParamsByName() throws Exception {
    fake.server.result("3");
    fake.calc.call("add", Map.of("a", 1), Integer.class);
    FakeServer.Received r = fake.server.received.take();
    assertEquals("POST", r.method());
    assertEquals("application/json", r.contentType());
    assertEquals("application/json", r.accept());
    assertEquals("2.0", r.json().get("jsonrpc").asText());
    assertEquals("add", r.json().get("method").asText());
    assertEquals(1, r.json().get("params").get("a").asInt());
    assertTrue(r.json().get("id").isIntegralNumber());
  }

  @Test
  void positionalParamsAreSentAsAnArray() throws Exception {
    fake.server.result("3");
    fake.calc.call("add", List.of(1, 2), Integer.class);
    assertEquals("[1,2]", fake.server.received.take().json().get("params").toString());
  }

  @Test
  void eachCallHasItsOwnId() throws Exception {
    fake.server.result("3");
    fake.calc.call("add", null, Integer.class);
    fake.calc.call("add", null, Integer.class);
    long first = fake.server.received.take().json().get("id").asLong();
    long second = fake.server.received.take().json().get("id").asLong();
    assertTrue(first != second);
  }

  @Test
  void genericResultIsDecodedWithItsElementType() {
    fake.server.result("{\"a\":[1,2]}");
    Map<String, List<Long>> result = fake.calc.call("f", null, new TypeRef<Map<String, List<Long>>>() {});
    assertEquals(Map.of("a", List.of(1L, 2L)), result);
  }

  @Test
  void voidResultIsIgnored() {
    fake.server.result("{\"whatever\":1}");
    assertNull(fake.calc.call("reset", null, void.class, false));
  }

  @Test
  void jsonRpcErrorBecomesRemoteExceptionWithCodeMessageAndData() {
    fake.server.json(r -> "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":1001,\"message\":\"division by zero\","
        + "\"data\":{\"dividend\":1}},\"id\":" + r.json().get("id") + "}");
    RemoteException e = assertThrows(RemoteException.class,
        () -> fake.calc.call("divide", List.of(1, 0), Integer.class));
    assertEquals(1001, e.code());
    assertEquals("division by zero", e.getMessage());
    assertEquals(1, e.data().get("dividend").asInt());
  }

  /** Calls add, which must fail with a TransportException, and returns it. */
  private TransportException addFails() {
    return assertThrows(TransportException.class, () -> fake.calc.call("add", null, Integer.class));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      a 404 becomes a TransportException with the status       | 404 | text/plain | no such module     | HTTP 404
      a 200 whose body is not JSON becomes a TransportException | 200 | text/html  | <html>hello</html> | the body is not JSON
      """)
  void anAnswerThatIsNoJsonRpcResponseBecomesATransportExceptionWithItsStatus(String sentence, int status,
      String contentType, String body, String why) {
    fake.server.always(status, contentType, body);
    TransportException e = addFails();
    assertEquals(status, e.httpStatus());
    assertTrue(e.getMessage().contains(why), e.getMessage());
  }

  @Test
  void serverErrorWithHtmlGivesAShortSingleLineMessage() {
    fake.server.always(500, "text/html", "<html>\n<body>\n" + "Internal failure ".repeat(500) + "</body></html>");
    TransportException e = addFails();
    assertEquals(500, e.httpStatus());
    assertTrue(e.getMessage().length() < 300, e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertTrue(e.getMessage().contains("<html> <body> Internal failure"), e.getMessage());
  }

  @Test
  void okWithJsonThatIsNotJsonRpcBecomesTransportException() {
    fake.server.always(200, "application/json", "{\"hello\":\"world\"}");
    TransportException e = addFails();
    assertTrue(e.getMessage().contains("\"jsonrpc\""), e.getMessage());
  }

  @Test
  void truncatedJsonBecomesTransportException() {
    fake.server.json(r -> "{\"jsonrpc\":\"2.0\",\"id\":" + r.json().get("id") + ",\"result\":[1,2");
    TransportException e = assertThrows(TransportException.class, () -> fake.calc.call("f", null, int[].class));
    assertEquals(200, e.httpStatus());
  }

  @Test
  void answerToAnotherIdBecomesTransportExceptionNotAResult() {
    fake.server.json(r -> "{\"jsonrpc\":\"2.0\",\"result\":3,\"id\":" + (r.json().get("id").asLong() + 1) + "}");
    TransportException e = addFails();
    assertTrue(e.getMessage().contains("the request had id"), e.getMessage());
  }

  @Test
  void resultOfTheWrongTypeBecomesTransportException() {
    fake.server.result("\"three\"");
    TransportException e = addFails();
    assertTrue(e.getMessage().contains("does not decode as the expected type"), e.getMessage());
  }

  @Test
  void noContentAnswerToACallBecomesTransportException() {
    fake.server.always(204, null, null);
    TransportException e = addFails();
    assertEquals(204, e.httpStatus());
  }

  @Test
  void anUnreachableServerIsRetriedUntilTheCallTimeoutThenTheCallFailsAsNotRun() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    AtomicInteger refused = new AtomicInteger();
    try (ClientModule nowhere = ClientModule.builder("http://127.0.0.1:" + port + "/calc")
        .callTimeout(java.time.Duration.ofMillis(300))
        .listener(new ClientListener() {
          @Override
          public void onConnectionLost(java.io.IOException e) {
            refused.incrementAndGet();
          }
        })
        .build()) {
      RpcTimeoutException e = assertThrows(RpcTimeoutException.class, () -> nowhere.call("add", null, Integer.class));
      assertEquals(0, e.httpStatus());
      assertEquals(CallOutcome.NOT_RUN, e.outcome(), "a refused connection sends nothing");
      assertTrue(e.getMessage().contains("cannot reach http://127.0.0.1:" + port + "/calc"), e.getMessage());
      assertTrue(e.getMessage().contains("the call timeout (300 ms)"), e.getMessage());
      assertTrue(refused.get() >= 2, "the call waited and tried again: " + refused.get());
    }
  }

  static final class Exploding {
    public String getValue() {
      throw new IllegalStateException("cannot tell");
    }
  }

  @Test
  void paramsThatCannotBeSerialisedAreRefusedBeforeSending() {
    fake.server.result("1");
    assertThrows(IllegalArgumentException.class, () -> fake.calc.call("f", List.of(new Exploding()), Integer.class));
    assertEquals(0, fake.server.requestCount());
  }

  @Test
  void asyncCallCompletesWithTheResult() {
    fake.server.result("3");
    assertEquals(3, fake.calc.callAsync("add", Map.of("a", 1, "b", 2), Integer.class).join());
  }

  @Test
  void asyncRemoteErrorCompletesWithRemoteExceptionAsCause() {
    fake.server.json(
        r -> "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":7,\"message\":\"no\"},\"id\":" + r.json().get("id") + "}");
    CompletableFuture<Integer> future = fake.calc.callAsync("add", null, Integer.class);
    CompletionException e = assertThrows(CompletionException.class, future::join);
    assertEquals(7, assertInstanceOf(RemoteException.class, e.getCause()).code());
  }

  @Test
  void asyncTransportFailureCompletesWithTransportExceptionAsCause() {
    fake.server.always(503, "text/plain", "busy");
    CompletionException e = assertThrows(CompletionException.class,
        () -> fake.calc.callAsync("add", null, Integer.class).join());
    assertEquals(503, assertInstanceOf(TransportException.class, e.getCause()).httpStatus());
  }

  @Test
  void notificationHasNoIdAndAcceptsNoContent() throws Exception {
    fake.server.always(204, null, null);
    fake.calc.notify("log", List.of("hello"));
    FakeServer.Received r = fake.server.received.take();
    assertFalse(r.json().has("id"));
    assertEquals("log", r.json().get("method").asText());
  }

  @Test
  void asyncNotificationCompletesOnNoContent() {
    fake.server.always(204, null, null);
    assertNull(fake.calc.notifyAsync("log", List.of("hello")).join());
  }

  @Test
  void notificationRefusedByStatusBecomesTransportException() {
    fake.server.always(500, "text/plain", "broken");
    assertEquals(500, assertThrows(TransportException.class, () -> fake.calc.notify("log", null)).httpStatus());
  }
}
