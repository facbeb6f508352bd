package dev.parley.client.internal;

import java.util.concurrent.CompletableFuture;
import okhttp3.Call;

/** A future for an OkHttp call: cancelling the future cancels the HTTP call. */
public final class CallFuture<T> extends CompletableFuture<T> {
  private final Call call;

  public CallFuture(Call call) {
    this.call = call;
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled) {
      call.cancel();
    }
    return cancelled;
  }
}
