package dev.parley;

/**
 * A call whose connect, read, write or overall call timeout elapsed. Whether the function ran is
 * unknown. Raise the client's timeouts, or retry an idempotent function.
 */
public class RpcTimeoutException extends TransportException {
  private static final long serialVersionUID = 1L;

  public RpcTimeoutException(String message, Throwable cause) {
    super(message, 0, cause);
  }
}
