package dev.parley.internal.jsonrpc;

import dev.parley.CallContext;

/**
 * Where a server's {@link ParamsArguments} get their call's {@link CallContext}, made only when a
 * function (or an interceptor) asks for it.
 */
public interface CallContextSource {
  /** The context of the call of {@code function} with {@code id} (null for a notification). */
  CallContext callContext(String function, RequestId id);
}
