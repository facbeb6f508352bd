package dev.parley.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.RemoteException;
import dev.parley.Session;
import dev.parley.internal.jsonrpc.IncomingMessage;
import dev.parley.internal.jsonrpc.InvalidRequest;
import dev.parley.internal.jsonrpc.JsonRpc;
import dev.parley.internal.jsonrpc.ParamsArguments;
import dev.parley.internal.jsonrpc.RequestBody;
import dev.parley.internal.jsonrpc.RequestId;
import dev.parley.internal.jsonrpc.ServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the messages of one request body against a module's functions. Synchronous functions run on
 * the calling (Jetty pool) thread, one after another in body order; asynchronous ones complete
 * whenever their {@link CompletionStage} does, and the answer is sent once all have. No thread
 * waits for an asynchronous function.
 */
final class PlainDispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(PlainDispatcher.class);

  static final String PARSE_ERROR_MESSAGE = "Parse error";
  static final String INVALID_REQUEST_MESSAGE = "Invalid Request";
  static final String METHOD_NOT_FOUND_MESSAGE = "Method not found";
  static final String SERVER_ERROR_MESSAGE = "Server error";

  /** Receives the outcomes (null entries for notifications), or a JVM {@link Error}. */
  interface Completion {
    void complete(Outcome[] outcomes, Throwable fatal);
  }

  private final String path;
  private final FunctionRegistry registry;
  private volatile JsonNode discoverDocument;

  PlainDispatcher(String path, FunctionRegistry registry) {
    this.path = path;
    this.registry = registry;
  }

  /**
   * Runs every message of {@code body}, taking each from it ({@link RequestBody#take}): neither the
   * body nor this dispatcher keeps a message's {@code params} once its function has read them.
   */
  void dispatch(RequestBody body, Session session, Completion completion) {
    Outcome[] outcomes = new Outcome[body.size()];
    List<CompletableFuture<?>> pending = null;
    for (int i = 0; i < outcomes.length; i++) {
      Object outcome = run(body.take(i), session);
      if (outcome instanceof CompletableFuture<?> future) {
        int index = i;
        if (pending == null) {
          pending = new ArrayList<>();
        }
        pending.add(future.thenAccept(o -> outcomes[index] = (Outcome) o));
      } else {
        outcomes[i] = (Outcome) outcome;
      }
    }
    if (pending == null) {
      completion.complete(outcomes, null);
    } else {
      CompletableFuture.allOf(pending.toArray(CompletableFuture<?>[]::new))
          .whenComplete((ignored, failure) -> completion.complete(outcomes, failure == null ? null : unwrap(failure)));
    }
  }

  /** Returns an {@link Outcome}, a {@code CompletableFuture<Outcome>}, or null for a notification. */
  private Object run(IncomingMessage message, Session session) {
    if (message instanceof InvalidRequest invalid) {
      LOG.debug("invalid request on {}: {}", path, invalid.reason());
      return Outcome.failure(invalid.id(), null,
          new RemoteException(RemoteException.INVALID_REQUEST, INVALID_REQUEST_MESSAGE));
    }
    // Only the id and the method outlive the call: the params go with the arguments once read.
    ServerRequest request = (ServerRequest) message;
    RequestId id = request.id();
    String method = request.method();
    if (JsonRpc.DISCOVER.equals(method)) {
      return id == null ? null : Outcome.success(id, method, discoverDocument());
    }
    FunctionRegistry.Target target = registry.get(method);
    if (target == null) {
      LOG.debug("unknown method on {}", path);
      return id == null ? null : Outcome.failure(id, method,
          new RemoteException(RemoteException.METHOD_NOT_FOUND, METHOD_NOT_FOUND_MESSAGE));
    }
    Object value;
    try {
      value = target.group().invoke(method, ParamsArguments.of(request.params(), target.descriptor()), session);
    } catch (Exception e) {
      return failed(id, method, e);
    }
    if (value instanceof CompletionStage<?> stage) {
      return stage.handle((result, failure) -> failure == null ? succeeded(id, method, result)
          : failed(id, method, unwrap(failure))).toCompletableFuture();
    }
    return succeeded(id, method, value);
  }

  private static Outcome succeeded(RequestId id, String method, Object result) {
    return id == null ? null : Outcome.success(id, method, result);
  }

  private static Outcome failed(RequestId id, String method, Throwable failure) {
    if (failure instanceof Error error) {
      throw error;
    }
    RemoteException answer;
    if (failure instanceof RemoteException remote) {
      LOG.debug("{} answered error {}", method, remote.code());
      answer = remote;
    } else {
      LOG.warn("{} failed", method, failure);
      String message = failure.getMessage();
      answer = new RemoteException(RemoteException.SERVER_ERROR,
          message == null || message.isBlank() ? SERVER_ERROR_MESSAGE : message);
    }
    return id == null ? null : Outcome.failure(id, method, answer);
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable current = failure;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }

  private JsonNode discoverDocument() {
    JsonNode document = discoverDocument;
    if (document == null) {
      document = OpenRpcDocument.build(path, registry);
      discoverDocument = document;
    }
    return document;
  }
}
