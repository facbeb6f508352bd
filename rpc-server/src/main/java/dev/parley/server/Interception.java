package dev.parley.server;

import dev.parley.RemoteException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A module's {@link ServerInterceptor}s: runs the chain around one call, and reports each call's
 * outcome to every interceptor once its answer is made. Only a module with interceptors has one.
 */
final class Interception {
  private static final Logger LOG = LoggerFactory.getLogger(ServerInterceptor.class);

  /** One intercepted call whose outcome is known, waiting for its answer to be made. */
  record Finished(ServerCall call, Object result, RemoteException error, Throwable failure, long nanos) {}

  private final ServerInterceptor[] interceptors;

  Interception(List<ServerInterceptor> interceptors) {
    this.interceptors = interceptors.toArray(ServerInterceptor[]::new);
  }

  /**
   * Runs the chain around {@code function} (which returns the function's value, or its stage):
   * a future of the call's result, or of its failure as thrown (not wrapped, not yet an answer).
   */
  CompletableFuture<Object> run(ServerCall call, Callable<Object> function) {
    return new Link(call, 0, function).proceed();
  }

  /** Tells every interceptor the outcome of each call of {@code finished}; one that throws is logged and ignored. */
  void report(List<Finished> finished, long requestBytes, long responseBytes) {
    for (Finished f : finished) {
      boolean alone = !f.call().inBatch();
      CallResult result = new CallResult(f.result(), f.error(), f.failure(), Duration.ofNanos(f.nanos()),
          alone ? requestBytes : -1, alone ? responseBytes : -1);
      for (ServerInterceptor interceptor : interceptors) {
        try {
          interceptor.onComplete(f.call(), result);
        } catch (RuntimeException e) {
          LOG.warn("{}.onComplete failed for {} (ignored: the answer was made)", interceptor.getClass().getName(),
              f.call(), e);
        }
      }
    }
  }

  /** The rest of the chain from interceptor {@code index} on; the function after the last. */
  private final class Link implements ServerInterceptor.Next {
    private final ServerCall call;
    private final int index;
    private final Callable<Object> function;
    private final AtomicBoolean used = new AtomicBoolean();

    Link(ServerCall call, int index, Callable<Object> function) {
      this.call = call;
      this.index = index;
      this.function = function;
    }

    @Override
    public CompletableFuture<Object> proceed() {
      if (!used.compareAndSet(false, true)) {
        return CompletableFuture.failedFuture(new IllegalStateException(
            "proceed() was called twice for one call of " + call.function() + ": call it at most once"));
      }
      try {
        if (index == interceptors.length) {
          return copy(function.call());
        }
        ServerInterceptor interceptor = interceptors[index];
        CompletionStage<?> stage = interceptor.intercept(call, new Link(call, index + 1, function));
        if (stage == null) {
          return CompletableFuture.failedFuture(new NullPointerException(
              interceptor.getClass().getName() + ".intercept returned null instead of a stage"));
        }
        return copy(stage);
      } catch (Exception e) {
        return CompletableFuture.failedFuture(e);
      }
    }
  }

  /** A future of {@code value}, or of the outcome of {@code value} when it is a stage, failures unwrapped. */
  private static CompletableFuture<Object> copy(Object value) {
    if (!(value instanceof CompletionStage<?> stage)) {
      return CompletableFuture.completedFuture(value);
    }
    CompletableFuture<Object> out = new CompletableFuture<>();
    stage.whenComplete((result, failure) -> {
      if (failure == null) {
        out.complete(result);
      } else {
        out.completeExceptionally(PlainDispatcher.unwrap(failure));
      }
    });
    return out;
  }
}
