package dev.parley.internal.jsonrpc;

import dev.parley.RemoteException;
import java.util.Map;

/**
 * What a client read from a batch response: one outcome per answered id, and the error the server
 * sent without an id (for example "invalid request" for an entry it could not read, or a single
 * error object answering the whole batch), if any. Ids the batch did not send are never included.
 */
public final class ClientBatchResponse {
  private final Map<Long, ClientOutcome> outcomes;
  private final RemoteException errorWithoutId;

  ClientBatchResponse(Map<Long, ClientOutcome> outcomes, RemoteException errorWithoutId) {
    this.outcomes = outcomes;
    this.errorWithoutId = errorWithoutId;
  }

  /** The answer to the call with {@code id}, or null when the server sent none. */
  public ClientOutcome outcome(long id) {
    return outcomes.get(id);
  }

  /** The number of ids answered. */
  public int answered() {
    return outcomes.size();
  }

  /** The first error the server sent with a null id, or null. */
  public RemoteException errorWithoutId() {
    return errorWithoutId;
  }
}
