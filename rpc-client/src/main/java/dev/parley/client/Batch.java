package dev.parley.client;

import dev.parley.RemoteException;
import dev.parley.TransportException;
import dev.parley.TypeRef;
import dev.parley.client.internal.JsonBody;
import dev.parley.internal.jsonrpc.ClientBatchResponse;
import dev.parley.internal.jsonrpc.ClientOutcome;
import dev.parley.internal.jsonrpc.ClientRequest;
import dev.parley.internal.jsonrpc.ClientResponses;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import okio.Buffer;

/**
 * Calls and notifications sent together as one JSON-RPC batch request, from
 * {@link ClientModule#batch()}. Each call gets its own future; {@link #execute()} or
 * {@link #executeAsync()} sends them all at once.
 *
 * <pre>{@code
 * Batch batch = calc.batch();
 * CompletableFuture<Integer> sum = batch.call("add", Map.of("a", 1, "b", 2), Integer.class);
 * CompletableFuture<Integer> quotient = batch.call("divide", Map.of("a", 1, "b", 0), Integer.class);
 * batch.notify("log", List.of("two calls"));
 * batch.execute();
 * sum.join();       // 3
 * quotient.join();  // throws CompletionException caused by RemoteException
 * }</pre>
 *
 * <p>Outcomes: each call's future completes with its own result or {@link RemoteException}. When
 * the exchange as a whole fails (unreachable server, unexpected HTTP status, an answer that is not
 * a batch response), every call's future fails with the same {@link TransportException}, which
 * {@code execute()} also throws. A call the server's answer leaves out fails with a
 * {@link TransportException} (HTTP status 200; whether it ran is unknown), or, if the server
 * answered an error without an id (it could not read that entry, or the whole batch), with that
 * {@link RemoteException}.
 *
 * <p>Parameters are serialised when a call or notification is added. A batch is sent once; it can
 * be filled from several threads, but {@code execute} must come after the last addition.
 */
public final class Batch {
  private final Calls client;
  private final List<Buffer> requests = new ArrayList<>();
  private final Map<Long, Entry> calls = new LinkedHashMap<>();
  private boolean sent;

  private record Entry(String function, Type type, CompletableFuture<Object> future) {}

  Batch(Calls client) {
    this.client = client;
  }

  /** Adds a call; its future completes when the batch's answer has been read. */
  public <T> CompletableFuture<T> call(String function, Object params, Class<T> resultType) {
    return call(function, params, (Type) resultType);
  }

  /** Adds a call with a generic result type. */
  public <T> CompletableFuture<T> call(String function, Object params, TypeRef<T> resultType) {
    return call(function, params, resultType.type());
  }

  /** Adds a call whose result is decoded as {@code resultType}. */
  @SuppressWarnings("unchecked")
  public synchronized <T> CompletableFuture<T> call(String function, Object params, Type resultType) {
    Objects.requireNonNull(function, "function == null");
    Objects.requireNonNull(resultType, "resultType == null");
    checkNotSent();
    long id = client.nextId();
    add(ClientRequest.call(id, function, params));
    CompletableFuture<Object> future = new CompletableFuture<>();
    calls.put(id, new Entry(function, resultType, future));
    return (CompletableFuture<T>) future;
  }

  /** Adds a notification: the server runs it and answers nothing for it. */
  public synchronized void notify(String function, Object params) {
    Objects.requireNonNull(function, "function == null");
    checkNotSent();
    add(ClientRequest.notification(function, params));
  }

  /** The number of calls and notifications added. */
  public synchronized int size() {
    return requests.size();
  }

  /**
   * Sends the batch and waits for the answer; every call's future is complete when this returns.
   * An empty batch sends nothing.
   *
   * @throws TransportException the exchange as a whole failed (every call's future fails with it)
   * @throws IllegalStateException the batch was already sent
   */
  public void execute() {
    Buffer body = seal();
    if (body == null) {
      return;
    }
    Answer answer;
    try {
      answer = Exchange.join(send(body, true));
    } catch (TransportException e) {
      throw failAll(e);
    }
    complete(answer, true);
  }

  /**
   * Sends the batch without blocking. The returned future completes (after every call's future)
   * when the answer has been read, or exceptionally as {@link #execute()} throws. Cancelling it
   * cancels the HTTP call and every call's future.
   */
  public CompletableFuture<Void> executeAsync() {
    Buffer body = seal();
    if (body == null) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> done = Exchange.map(send(body, false), answer -> {
      complete(answer, false);
      return null;
    });
    done.whenComplete((v, e) -> {
      if (done.isCancelled()) {
        calls.values().forEach(entry -> entry.future.cancel(false));
      } else if (e != null) {
        Throwable t = Failures.unwrap(e);
        failAll(t instanceof TransportException te ? te : new TransportException(what() + " failed: " + t, t));
      }
    });
    return done;
  }

  private CompletableFuture<Answer> send(Buffer body, boolean sync) {
    return client.exchange().send(body, client.newCall("batch of " + requests.size(), calls.isEmpty(), true, false, null),
        what(), !calls.isEmpty(), sync);
  }

  private void add(ClientRequest request) {
    Buffer buffer = new Buffer();
    JsonBody.write(buffer, request);
    requests.add(buffer);
  }

  private void checkNotSent() {
    if (sent) {
      throw new IllegalStateException("this batch was already sent; start a new one with ClientModule.batch()");
    }
  }

  /** Marks the batch sent and returns its body, or null when it is empty. */
  private synchronized Buffer seal() {
    checkNotSent();
    client.checkOpen();
    sent = true;
    return requests.isEmpty() ? null : JsonBody.batch(requests);
  }

  private String what() {
    return "a batch of " + requests.size();
  }

  private TransportException failAll(TransportException e) {
    calls.values().forEach(entry -> entry.future.completeExceptionally(e));
    return e;
  }

  /** Reads the batch's answer (none for an all-notification batch) and completes every call's future. */
  private void complete(Answer answer, boolean sync) {
    String url = client.urlText();
    ClientBatchResponse batch;
    try (answer) {
      if (calls.isEmpty()) {
        return;
      }
      batch = ClientResponses.readBatch(answer.stream(), id -> calls.containsKey(id) ? calls.get(id).type : null);
    } catch (IOException e) {
      throw failAll(answer.failure(e, url, what(), sync));
    }
    distribute(batch);
  }

  private void distribute(ClientBatchResponse answer) {
    String url = client.urlText();
    for (Map.Entry<Long, Entry> call : calls.entrySet()) {
      Entry entry = call.getValue();
      ClientOutcome outcome = answer.outcome(call.getKey());
      if (outcome == null) {
        RemoteException withoutId = answer.errorWithoutId();
        entry.future.completeExceptionally(withoutId != null
            ? new RemoteException(withoutId.code(), withoutId.getMessage(), withoutId.data())
            : new TransportException("the answer from " + url + " to " + what() + " has no answer for '"
                + entry.function + "' (id " + call.getKey() + "); whether it ran is unknown", 200, null));
      } else if (outcome.problem() != null) {
        entry.future.completeExceptionally(new TransportException("invalid JSON-RPC answer from " + url + " to '"
            + entry.function + "' (id " + call.getKey() + ") in " + what() + ": " + outcome.problem(), 200, null));
      } else if (outcome.error() != null) {
        entry.future.completeExceptionally(outcome.error());
      } else {
        entry.future.complete(outcome.result());
      }
    }
  }
}
