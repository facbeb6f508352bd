package dev.parley.it.typed;

import dev.parley.RemoteError;

/** The account holds less than the amount asked for. Its data says how much it holds. */
@RemoteError(code = 4001)
public class InsufficientFundsException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What the account holds and what was asked for. */
  public record Shortfall(long balance, long requested) {}

  private final transient Shortfall data;

  public InsufficientFundsException(String message, Shortfall data) {
    super(message);
    this.data = data;
  }

  public Shortfall data() {
    return data;
  }
}
