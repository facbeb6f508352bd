package dev.parley;

/**
 * A call whose connect, read, write or overall call timeout elapsed. The message names the timeout
 * and its value. {@link #outcome()} is {@link CallOutcome#NOT_RUN} when the time ran out before the
 * request was written (for example while the server refused connections), else
 * {@link CallOutcome#UNKNOWN}. Raise the client's timeouts, or retry an idempotent function.
 */
public class RpcTimeoutException extends TransportException {
  private static final long serialVersionUID = 1L;

  /** A timeout after the request may have been written: the outcome is unknown. */
  public RpcTimeoutException(String message, Throwable cause) {
    this(message, CallOutcome.UNKNOWN, cause);
  }

  public RpcTimeoutException(String message, CallOutcome outcome, Throwable cause) {
    super(message, 0, outcome, cause);
  }
}
