package dev.parley.client;

import dev.parley.RemoteCaller;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** {@link ClientModule#withTimeout}: the module's calls, each with a per-call timeout sent as its deadline. */
record TimedCaller(ClientModule module, Calls calls, Duration timeout) implements RemoteCaller {

  @Override
  public RemoteCaller withTimeout(Duration timeout) {
    return module.withTimeout(timeout);
  }

  @Override
  public <T> T call(String function, Object params, Type resultType, boolean idempotent) {
    return calls.call(function, params, resultType, idempotent, timeout);
  }

  @Override
  public <T> CompletableFuture<T> callAsync(String function, Object params, Type resultType, boolean idempotent) {
    return calls.callAsync(function, params, resultType, idempotent, timeout);
  }

  @Override
  public String toString() {
    return module + " with a per-call timeout of " + CallBudget.text(timeout);
  }
}
