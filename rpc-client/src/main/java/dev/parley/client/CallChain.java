package dev.parley.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs a call through its module's {@link ClientInterceptor}s. Used only by a module that has
 * interceptors; the returned future's cancelling cancels the call's exchange.
 */
final class CallChain {
  private CallChain() {}

  /** {@code send} (the call's exchange and the reading of its answer) inside every interceptor of {@code call}. */
  static CompletableFuture<Object> run(ClientCall call, Supplier<CompletableFuture<Object>> send) {
    AtomicReference<CompletableFuture<Object>> exchange = new AtomicReference<>();
    CompletableFuture<Object> out = new CompletableFuture<>() {
      @Override
      public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        CompletableFuture<Object> sent = exchange.get();
        if (cancelled && sent != null) {
          sent.cancel(mayInterruptIfRunning);
        }
        return cancelled;
      }
    };
    Supplier<CompletableFuture<Object>> tracked = () -> {
      CompletableFuture<Object> sent = send.get();
      exchange.set(sent);
      if (out.isCancelled()) {
        sent.cancel(false);
      }
      return sent;
    };
    new Link(call, 0, tracked).proceed().whenComplete((result, failure) -> {
      if (failure == null) {
        out.complete(result);
      } else {
        out.completeExceptionally(Failures.unwrap(failure));
      }
    });
    return out;
  }

  /** The chain from interceptor {@code index} on; the call itself after the last. */
  private static final class Link implements ClientInterceptor.Next {
    private final ClientCall call;
    private final int index;
    private final Supplier<CompletableFuture<Object>> send;
    private final AtomicBoolean used = new AtomicBoolean();

    Link(ClientCall call, int index, Supplier<CompletableFuture<Object>> send) {
      this.call = call;
      this.index = index;
      this.send = send;
    }

    @Override
    public CompletableFuture<Object> proceed() {
      if (!used.compareAndSet(false, true)) {
        return CompletableFuture.failedFuture(new IllegalStateException(
            "proceed() was called twice for one call of " + call.function() + ": call it at most once"));
      }
      try {
        if (index == call.interceptors.length) {
          return send.get();
        }
        ClientInterceptor interceptor = call.interceptors[index];
        CompletionStage<?> stage = interceptor.interceptCall(call, new Link(call, index + 1, send));
        if (stage == null) {
          return CompletableFuture.failedFuture(new NullPointerException(
              interceptor.getClass().getName() + ".interceptCall returned null instead of a stage"));
        }
        CompletableFuture<Object> result = new CompletableFuture<>();
        stage.whenComplete((value, failure) -> {
          if (failure == null) {
            result.complete(value);
          } else {
            result.completeExceptionally(Failures.unwrap(failure));
          }
        });
        return result;
      } catch (Exception e) {
        return CompletableFuture.failedFuture(e);
      }
    }
  }
}
