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
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.LongAdder;
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
  private final OpenRpcDocument.Info info;
  private final boolean exposeErrorMessages;
  private final Interception interception;   // null without interceptors: nothing of it runs
  private final LongAdder failedNotifications = new LongAdder();
  private volatile JsonNode discoverDocument;

  PlainDispatcher(String path, FunctionRegistry registry, OpenRpcDocument.Info info, boolean exposeErrorMessages,
      List<ServerInterceptor> interceptors) {
    this.path = path;
    this.registry = registry;
    this.info = info;
    this.exposeErrorMessages = exposeErrorMessages;
    this.interception = interceptors.isEmpty() ? null : new Interception(interceptors);
  }

  /** How many notifications could not run or failed (they get no answer to say so). */
  long failedNotifications() {
    return failedNotifications.sum();
  }

  /**
   * Runs every message of {@code body}, taking each from it ({@link RequestBody#take}): neither the
   * body nor this dispatcher keeps a message's {@code params} once its function has read them.
   */
  void dispatch(RequestBody body, Session session, RequestScope scope, Completion completion) {
    dispatch(body, session, scope, null, completion);
  }

  /**
   * {@link #dispatch(RequestBody, Session, RequestScope, Completion)}, and the unfinished futures the
   * functions return are given to {@code watch}, which cancels them if the caller goes away first.
   */
  void dispatch(RequestBody body, Session session, RequestScope scope, CallWatch watch, Completion answer) {
    Completion completion = watch == null ? answer : (outcomes, fatal) -> {
      watch.answered();
      answer.complete(outcomes, fatal);
    };
    scope.bind(registry, session, body.isBatch());
    Outcome[] outcomes = new Outcome[body.size()];
    List<CompletableFuture<?>> pending = null;
    for (int i = 0; i < outcomes.length; i++) {
      Object outcome = run(body.take(i), session, scope, watch);
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
      if (watch != null) {
        watch.watch();
      }
      CompletableFuture.allOf(pending.toArray(CompletableFuture<?>[]::new))
          .whenComplete((ignored, failure) -> completion.complete(outcomes, failure == null ? null : unwrap(failure)));
    }
  }

  /**
   * Tells the interceptors the outcome of the calls of {@code scope} once their answer is made
   * (before it is written); does nothing in a module without interceptors.
   */
  void answered(RequestScope scope, long requestBytes, long responseBytes) {
    if (interception != null) {
      interception.report(scope.takeFinished(), requestBytes, responseBytes);
    }
  }

  /** Returns an {@link Outcome}, a {@code CompletableFuture<Outcome>}, or null for a notification. */
  private Object run(IncomingMessage message, Session session, RequestScope scope, CallWatch watch) {
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
      if (id == null) {
        failedNotifications.increment();
        return null;
      }
      return Outcome.failure(id, method, new RemoteException(RemoteException.METHOD_NOT_FOUND, METHOD_NOT_FOUND_MESSAGE));
    }
    if (interception != null) {
      return intercepted(request, target, session, scope, watch);
    }
    Object value;
    try {
      ParamsArguments arguments = ParamsArguments.of(request.params(), target.descriptor(), scope, id);
      Deadline deadline = scope.deadline();
      value = deadline == null ? target.group().invoke(method, arguments, session)
          : deadline.call(() -> target.group().invoke(method, arguments, session));
    } catch (Exception e) {
      return failed(id, method, target, e);
    }
    if (value instanceof CompletionStage<?> stage) {
      watchFuture(watch, value);
      return stage.handle((result, failure) -> failure == null ? succeeded(id, method, result)
          : failed(id, method, target, unwrap(failure))).toCompletableFuture();
    }
    return succeeded(id, method, value);
  }

  /** {@link #run} through the module's interceptors (docs/SERVER.md "Interceptors"). */
  private Object intercepted(ServerRequest request, FunctionRegistry.Target target, Session session,
      RequestScope scope, CallWatch watch) {
    RequestId id = request.id();
    String method = request.method();
    JsonNode params = request.params();
    ServerCall call = new ServerCall(scope, target.group().serviceName(), method, id);
    long start = System.nanoTime();
    CompletableFuture<Object> future = interception.run(call, () -> {
      ParamsArguments arguments = ParamsArguments.of(params, target.descriptor(), (function, callId) -> call, id);
      Deadline deadline = scope.deadline();
      Object value = deadline == null ? target.group().invoke(method, arguments, session)
          : deadline.call(() -> target.group().invoke(method, arguments, session));
      watchFuture(watch, value);
      return value;
    });
    if (future.isDone()) {
      Object result = null;
      Throwable failure = null;
      try {
        result = future.join();
      } catch (CompletionException | CancellationException e) {
        failure = e;
      }
      return interceptedOutcome(call, target, scope, start, result, failure);
    }
    return future.handle((result, failure) -> interceptedOutcome(call, target, scope, start, result, failure));
  }

  private Outcome interceptedOutcome(ServerCall call, FunctionRegistry.Target target, RequestScope scope, long start,
      Object result, Throwable failure) {
    RequestId id = call.id();
    String method = call.function();
    if (failure == null) {
      scope.finished(new Interception.Finished(call, result, null, null, System.nanoTime() - start));
      return succeeded(id, method, result);
    }
    Throwable cause = unwrap(failure);
    if (cause instanceof Error error) {
      throw error;
    }
    RemoteException answer = answerFor(id, method, target, cause);
    scope.finished(new Interception.Finished(call, null, answer, cause, System.nanoTime() - start));
    if (id == null) {
      failedNotifications.increment();
      return null;
    }
    return Outcome.failure(id, method, answer);
  }

  /** Gives an unfinished future a function returned to {@code watch} (null: nobody watches). */
  private static void watchFuture(CallWatch watch, Object value) {
    if (watch != null && value instanceof CompletableFuture<?> future && !future.isDone()) {
      watch.add(future);
    }
  }

  private static Outcome succeeded(RequestId id, String method, Object result) {
    return id == null ? null : Outcome.success(id, method, result);
  }

  /**
   * The answer to a failed call: a {@code RemoteException} as thrown; a typed error the function
   * declares with its code, message and data; anything else as -32000 with a generic message (the
   * exception's own message only with {@code exposeErrorMessages}), logged with its stack trace. A
   * notification's failure is counted and logged instead, since nothing is answered.
   */
  private Outcome failed(RequestId id, String method, FunctionRegistry.Target target, Throwable failure) {
    if (failure instanceof Error error) {
      throw error;
    }
    RemoteException answer = answerFor(id, method, target, failure);
    if (id == null) {
      failedNotifications.increment();
      return null;
    }
    return Outcome.failure(id, method, answer);
  }

  /** What a failure of {@code method} is answered as (see {@link #failed}), logged as it says. */
  private RemoteException answerFor(RequestId id, String method, FunctionRegistry.Target target, Throwable failure) {
    RemoteException answer;
    if (failure instanceof CancellationException) {
      // Cancelled, mostly because the caller went away (CallWatch): nobody reads this answer.
      LOG.debug("{} on {} was cancelled", method, path);
      answer = new RemoteException(RemoteException.SERVER_ERROR, SERVER_ERROR_MESSAGE);
    } else if (failure instanceof RemoteException remote) {
      answer = remote;
      if (id == null) {
        LOG.warn("notification of {} on {} failed: [{}] {}", method, path, remote.code(), printable(remote.getMessage()));
      } else {
        LOG.debug("{} answered error {}", method, remote.code());
      }
    } else {
      answer = applicationError(method, target, failure);
      if (answer != null) {
        LOG.debug("{} answered typed error {}", method, answer.code());
      } else {
        LOG.warn("function {} of module {} failed ({}); answered -32000", method, path, logId(id), failure);
        String message = failure.getMessage();
        answer = new RemoteException(RemoteException.SERVER_ERROR,
            !exposeErrorMessages || message == null || message.isBlank() ? SERVER_ERROR_MESSAGE : message);
      }
    }
    return answer;
  }

  /** The typed error {@code failure} stands for, or null (also when its data cannot be written). */
  private RemoteException applicationError(String method, FunctionRegistry.Target target, Throwable failure) {
    try {
      return target.group().applicationError(method, failure);
    } catch (RuntimeException e) {
      LOG.warn("the typed error of {} could not be answered (its data cannot be written as JSON)", method, e);
      return null;
    }
  }

  /**
   * How a WARN line names a call: {@code call id 7}, {@code call id "a-7"} (the caller's text made
   * printable and cut to 64 characters), or that it was a notification.
   */
  static String logId(RequestId id) {
    if (id == null) {
      return "a notification: nothing is answered";
    }
    String text = id.toString();
    return "call id " + printable(text.length() > 64 ? text.substring(0, 64) + "..." : text);
  }

  /** The message with control characters replaced, so that a caller-chosen name cannot forge log lines. */
  private static String printable(String message) {
    StringBuilder out = new StringBuilder(message.length());
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      out.append(Character.isISOControl(c) ? '?' : c);
    }
    return out.toString();
  }

  static Throwable unwrap(Throwable failure) {
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
      document = OpenRpcDocument.build(info, registry);
      discoverDocument = document;
    }
    return document;
  }
}
