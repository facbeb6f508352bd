package dev.parley.micrometer;

import dev.parley.RemoteCaller;
import dev.parley.RemoteException;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/** {@link ParleyClientMetrics#caller}: times each call on its way through, and counts error codes. */
final class MeteredCaller implements RemoteCaller {
  private final RemoteCaller delegate;
  private final ParleyClientMetrics metrics;

  MeteredCaller(RemoteCaller delegate, ParleyClientMetrics metrics) {
    this.delegate = delegate;
    this.metrics = metrics;
  }

  @Override
  public RemoteCaller withTimeout(Duration timeout) {
    return new MeteredCaller(delegate.withTimeout(timeout), metrics);
  }

  @Override
  public <T> T call(String function, Object params, Type resultType, boolean idempotent) {
    long start = metrics.now();
    T result;
    try {
      result = delegate.call(function, params, resultType, idempotent);
    } catch (RuntimeException | Error e) {
      if (e instanceof RemoteException remote) {
        metrics.error(function, remote.code());
      }
      metrics.record(function, start, e);
      throw e;
    }
    metrics.record(function, start, null);
    return result;
  }

  @Override
  public <T> CompletableFuture<T> callAsync(String function, Object params, Type resultType, boolean idempotent) {
    long start = metrics.now();
    return measured(function, start, delegate.callAsync(function, params, resultType, idempotent), true);
  }

  @Override
  public <T> CompletableFuture<T> callAsync(String function, Object params, Type resultType, boolean idempotent,
      Function<? super RemoteException, ? extends Throwable> errors) {
    long start = metrics.now();
    // The code is counted before the stub's function turns the answer into its typed exception.
    CompletableFuture<T> call = delegate.callAsync(function, params, resultType, idempotent, remote -> {
      metrics.error(function, remote.code());
      return errors.apply(remote);
    });
    return measured(function, start, call, false);
  }

  /**
   * A future that completes as {@code call} does, once the call is recorded (so that whoever waits
   * for it sees the metrics), and whose cancellation cancels the call.
   */
  private <T> CompletableFuture<T> measured(String function, long start, CompletableFuture<T> call,
      boolean countError) {
    CompletableFuture<T> measured = new CompletableFuture<>() {
      @Override
      public boolean cancel(boolean mayInterruptIfRunning) {
        call.cancel(mayInterruptIfRunning);
        return super.cancel(mayInterruptIfRunning);
      }
    };
    call.whenComplete((result, failure) -> {
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      try {
        if (countError && cause instanceof RemoteException remote) {
          metrics.error(function, remote.code());
        }
        metrics.record(function, start, cause);
      } finally {
        if (cause == null) {
          measured.complete(result);
        } else {
          measured.completeExceptionally(cause);
        }
      }
    });
    return measured;
  }
}
