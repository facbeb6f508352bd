package dev.parley.internal.jsonrpc;

import dev.parley.RemoteException;
import java.util.Objects;

/**
 * The answer to one call of a batch: a decoded result, a JSON-RPC error, or a problem with the
 * answer itself (for example the server answered the same id twice).
 */
public final class ClientOutcome {
  private final Object result;
  private final RemoteException error;
  private final String problem;

  private ClientOutcome(Object result, RemoteException error, String problem) {
    this.result = result;
    this.error = error;
    this.problem = problem;
  }

  static ClientOutcome result(Object value) {
    return new ClientOutcome(value, null, null);
  }

  static ClientOutcome error(RemoteException error) {
    return new ClientOutcome(null, Objects.requireNonNull(error, "error == null"), null);
  }

  static ClientOutcome problem(String description) {
    return new ClientOutcome(null, null, Objects.requireNonNull(description, "description == null"));
  }

  /** The decoded result (null for a JSON null or a void result); meaningful only if neither error nor problem. */
  public Object result() {
    return result;
  }

  /** The JSON-RPC error the server answered, or null. */
  public RemoteException error() {
    return error;
  }

  /** Why the answer cannot be trusted (a protocol violation), or null. */
  public String problem() {
    return problem;
  }
}
