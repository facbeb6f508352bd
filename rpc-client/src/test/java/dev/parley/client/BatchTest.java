package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.RemoteException;
import dev.parley.TransportException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BatchTest {
  @RegisterExtension
  final FakeCalc fake = new FakeCalc();

  /** Answers every call of a batch, in reverse order: "add" sums a and b, anything else is an error. */
  private void answerBatchesInReverse() {
    fake.server.json(r -> {
      List<String> answers = new ArrayList<>();
      for (JsonNode request : r.json()) {
        if (!request.has("id")) {
          continue;
        }
        String id = request.get("id").toString();
        if (request.get("method").asText().equals("add")) {
          JsonNode p = request.get("params");
          answers.add(0, "{\"jsonrpc\":\"2.0\",\"result\":" + (p.get("a").asInt() + p.get("b").asInt()) + ",\"id\":" + id + "}");
        } else {
          answers.add(0, "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32601,\"message\":\"Method not found\"},\"id\":" + id + "}");
        }
      }
      return "[" + String.join(",", answers) + "]";
    });
  }

  @Test
  void everyCallGetsItsOwnResultWhateverTheAnswerOrder() {
    answerBatchesInReverse();
    Batch batch = fake.calc.batch();
    CompletableFuture<Integer> a = batch.call("add", Map.of("a", 1, "b", 2), Integer.class);
    CompletableFuture<Integer> b = batch.call("add", Map.of("a", 10, "b", 20), Integer.class);
    batch.execute();
    assertEquals(3, a.join());
    assertEquals(30, b.join());
  }

  @Test
  void batchIsSentAsOneArrayWithNotificationsWithoutId() throws Exception {
    answerBatchesInReverse();
    Batch batch = fake.calc.batch();
    batch.call("add", Map.of("a", 1, "b", 2), Integer.class);
    batch.notify("log", List.of("added"));
    batch.execute();
    JsonNode sent = fake.server.received.take().json();
    assertEquals(2, sent.size());
    assertTrue(sent.get(0).has("id"));
    assertFalse(sent.get(1).has("id"));
    assertEquals(1, fake.server.requestCount());
  }

  @Test
  void errorOfOneCallFailsOnlyThatCall() {
    answerBatchesInReverse();
    Batch batch = fake.calc.batch();
    CompletableFuture<Integer> ok = batch.call("add", Map.of("a", 1, "b", 2), Integer.class);
    CompletableFuture<Integer> bad = batch.call("nope", null, Integer.class);
    batch.execute();
    assertEquals(3, ok.join());
    CompletionException e = assertThrows(CompletionException.class, bad::join);
    assertEquals(RemoteException.METHOD_NOT_FOUND, assertInstanceOf(RemoteException.class, e.getCause()).code());
  }

  @Test
  void callTheAnswerLeavesOutFailsWithTransportException() {
    fake.server.json(r -> "[{\"jsonrpc\":\"2.0\",\"result\":1,\"id\":" + r.json().get(0).get("id") + "}]");
    Batch batch = fake.calc.batch();
    CompletableFuture<Integer> answered = batch.call("one", null, Integer.class);
    CompletableFuture<Integer> missing = batch.call("two", null, Integer.class);
    batch.execute();
    assertEquals(1, answered.join());
    CompletionException e = assertThrows(CompletionException.class, missing::join);
    TransportException cause = assertInstanceOf(TransportException.class, e.getCause());
    assertTrue(cause.getMessage().contains("has no answer for 'two'"), cause.getMessage());
  }

  @Test
  void singleErrorAnsweringTheWholeBatchFailsEveryCallWithIt() {
    fake.server.always(200, "application/json",
        "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32600,\"message\":\"Invalid Request\"},\"id\":null}");
    Batch batch = fake.calc.batch();
    CompletableFuture<Integer> a = batch.call("one", null, Integer.class);
    batch.execute();
    CompletionException e = assertThrows(CompletionException.class, a::join);
    assertEquals(RemoteException.INVALID_REQUEST, assertInstanceOf(RemoteException.class, e.getCause()).code());
  }

  @Test
  void answerWithAnIdNotSentIsNotTakenAsAResult() {
    fake.server.always(200, "application/json", "[{\"jsonrpc\":\"2.0\",\"result\":99,\"id\":123456789}]");
    Batch batch = fake.calc.batch();
    CompletableFuture<Integer> a = batch.call("one", null, Integer.class);
    batch.execute();
    assertInstanceOf(TransportException.class, assertThrows(CompletionException.class, a::join).getCause());
  }

  @Test
  void failedExchangeFailsEveryCallAndExecute() {
    fake.server.always(500, "text/plain", "down");
    Batch batch = fake.calc.batch();
    CompletableFuture<Integer> a = batch.call("one", null, Integer.class);
    TransportException e = assertThrows(TransportException.class, batch::execute);
    assertEquals(500, e.httpStatus());
    assertEquals(e, assertThrows(CompletionException.class, a::join).getCause());
  }

  @Test
  void batchOfNotificationsAcceptsNoContent() {
    fake.server.always(204, null, null);
    Batch batch = fake.calc.batch();
    batch.notify("log", List.of("a"));
    batch.notify("log", List.of("b"));
    batch.execute();
    assertEquals(1, fake.server.requestCount());
  }

  @Test
  void emptyBatchSendsNothing() {
    fake.calc.batch().execute();
    assertEquals(0, fake.server.requestCount());
  }

  @Test
  void batchIsSentOnlyOnce() {
    fake.server.always(204, null, null);
    Batch batch = fake.calc.batch();
    batch.notify("log", null);
    batch.execute();
    assertThrows(IllegalStateException.class, batch::execute);
    assertThrows(IllegalStateException.class, () -> batch.notify("log", null));
  }

  @Test
  void asyncBatchCompletesEveryCall() {
    answerBatchesInReverse();
    Batch batch = fake.calc.batch();
    CompletableFuture<Integer> a = batch.call("add", Map.of("a", 2, "b", 2), Integer.class);
    batch.executeAsync().join();
    assertTrue(a.isDone());
    assertEquals(4, a.join());
  }
}
