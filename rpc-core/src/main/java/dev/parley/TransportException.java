package dev.parley;

/**
 * A call that did not complete at the HTTP level: the connection failed, the server answered with
 * an HTTP status Parley does not expect, or the answer could not be read. Whether the function ran
 * is unknown.
 *
 * <p>What the caller can do: retry if the function is idempotent, otherwise check the server's
 * state first.
 */
public class TransportException extends RpcException {
  private static final long serialVersionUID = 1L;

  private final int httpStatus;

  public TransportException(String message, Throwable cause) {
    this(message, 0, cause);
  }

  public TransportException(String message, int httpStatus, Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
  }

  /** The HTTP status the server answered with, or 0 when no answer was received. */
  public int httpStatus() {
    return httpStatus;
  }
}
