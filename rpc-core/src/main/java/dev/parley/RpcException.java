package dev.parley;

/**
 * The root of Parley's unchecked exception hierarchy. Every failure of a remote call surfaces as
 * one of its subclasses, both from synchronous calls and as the cause of a failed
 * {@link java.util.concurrent.CompletableFuture}:
 *
 * <ul>
 *   <li>{@link RemoteException}: the server answered with a JSON-RPC error (a code, a message and
 *       optional data). The call reached the server.
 *   <li>{@link TransportException}: the call did not complete at the HTTP level (connection
 *       failure, unexpected HTTP status, unreadable answer). Its {@code outcome()} says whether
 *       the call provably did not run ({@link CallOutcome#NOT_RUN}) or may have run
 *       ({@link CallOutcome#UNKNOWN}).
 *   <li>{@link RpcTimeoutException}: a transport failure because a timeout elapsed.
 * </ul>
 */
public abstract class RpcException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  protected RpcException(String message, Throwable cause) {
    super(message, cause);
  }
}
