package dev.parley.testing;

import dev.parley.CallContext;
import dev.parley.RemoteFunction;
import java.util.concurrent.CompletableFuture;

/** Functions that report what their {@link CallContext} holds, and one that runs until it is stopped. */
public interface Traced {
  /** "traceparent|tracestate|traceparent header present|encrypted|deadline in ms from now, or none". */
  @RemoteFunction String context(CallContext call);

  /** Blocks until its thread is interrupted (the caller's deadline passed). */
  @RemoteFunction String runUntilStopped(CallContext call);

  /** Returns a future that only cancelling ends. */
  @RemoteFunction CompletableFuture<String> pending();
}
