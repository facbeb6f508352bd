package dev.parley.client.internal;

import java.util.concurrent.CompletableFuture;
import okhttp3.Call;

/**
 * A future for an OkHttp call: cancelling the future cancels the HTTP call, including a call that
 * replaced the first one (an idempotent call sent again).
 */
public final class CallFuture<T> extends CompletableFuture<T> {
  private volatile Call call;

  /** A future whose first call is set later with {@link #replaceCall}. */
  public CallFuture() {}

  public CallFuture(Call call) {
    this.call = call;
  }

  /** Makes {@code next} the call that cancelling cancels; cancels it at once if this future already is. */
  public void replaceCall(Call next) {
    call = next;
    if (isCancelled()) {
      next.cancel();
    }
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    Call current = call;
    if (cancelled && current != null) {
      current.cancel();
    }
    return cancelled;
  }
}
