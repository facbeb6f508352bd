package dev.parley;

/**
 * A call that did not complete at the HTTP level: the connection failed, the server answered with
 * an HTTP status Parley does not expect, or the answer could not be read. {@link #outcome()} says
 * whether the call provably did not run or its outcome is unknown; the message says the same.
 *
 * <p>What the caller can do: call again when {@link #outcome()} is {@link CallOutcome#NOT_RUN} or
 * the function is idempotent; otherwise check the server's state first.
 */
public class TransportException extends RpcException {
  private static final long serialVersionUID = 1L;

  private final int httpStatus;
  private final CallOutcome outcome;

  /** A failure whose outcome is unknown, with no HTTP answer. */
  public TransportException(String message, Throwable cause) {
    this(message, 0, CallOutcome.UNKNOWN, cause);
  }

  /** A failure whose outcome is unknown. */
  public TransportException(String message, int httpStatus, Throwable cause) {
    this(message, httpStatus, CallOutcome.UNKNOWN, cause);
  }

  /**
   * @param httpStatus the HTTP status of the answer, or 0 without one
   * @param outcome {@link CallOutcome#NOT_RUN} only when that is proven (see its Javadoc)
   */
  public TransportException(String message, int httpStatus, CallOutcome outcome, Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.outcome = java.util.Objects.requireNonNull(outcome, "outcome == null");
  }

  /** Whether the call provably did not run ({@link CallOutcome#NOT_RUN}) or may have ({@link CallOutcome#UNKNOWN}). */
  public CallOutcome outcome() {
    return outcome;
  }

  /** The HTTP status the server answered with, or 0 when no answer was received. */
  public int httpStatus() {
    return httpStatus;
  }
}
