package dev.parley;

import java.lang.reflect.Type;
import java.util.concurrent.CompletableFuture;

/**
 * What a generated client stub calls. {@code ClientModule} (rpc-client) implements it; stubs depend
 * only on this interface, so they compile against rpc-core alone.
 *
 * <p>{@code params} is a {@code Map<String, ?>} (by name, the form generated stubs use), a
 * {@code List<?>} or {@code Object[]} (by position), or null for no params. Implementations are
 * thread-safe.
 */
public interface RemoteCaller {
  /**
   * Calls {@code function} and waits for its result, decoded as {@code resultType}
   * ({@code void.class} or {@code Void.class} to ignore it).
   *
   * @throws RemoteException the server answered with a JSON-RPC error
   * @throws TransportException the call did not complete at the HTTP level
   */
  <T> T call(String function, Object params, Type resultType, boolean idempotent);

  /**
   * Calls {@code function} without blocking. The future completes with the decoded result, or
   * exceptionally with the same {@link RpcException} types {@link #call} throws. Cancelling the
   * future cancels the HTTP call.
   */
  <T> CompletableFuture<T> callAsync(String function, Object params, Type resultType, boolean idempotent);
}
