package dev.parley.it.typed;

import dev.parley.RemoteError;

/** The account is closed: nothing can be drawn from it or paid into it. */
@RemoteError(code = 4002)
public class AccountClosedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AccountClosedException(String message) {
    super(message);
  }
}
