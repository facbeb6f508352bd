package dev.parley.samples.calculator;

import dev.parley.RemoteError;

/**
 * A division by zero. A typed remote error: the server answers it with code 1001 and the dividend as
 * data, and the generated client throws this exception again.
 */
@RemoteError(code = Calculator.DIVISION_BY_ZERO)
public class DivisionByZeroException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Integer data;

  /** A division of {@code dividend} by zero. */
  public DivisionByZeroException(String message, Integer dividend) {
    super(message);
    this.data = dividend;
  }

  /** The dividend: sent as the error's data. */
  public Integer data() {
    return data;
  }
}
