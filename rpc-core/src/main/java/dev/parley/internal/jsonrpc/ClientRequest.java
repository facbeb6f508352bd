package dev.parley.internal.jsonrpc;

import java.util.Objects;

/**
 * One entry of a JSON-RPC request a client sends: a call when {@code id} is not null, a
 * notification when it is. {@code params} is a {@code Map} (by name), a {@code List} or an
 * {@code Object[]} (by position), or null (the member is omitted).
 */
public record ClientRequest(Long id, String method, Object params) {
  public ClientRequest {
    Objects.requireNonNull(method, "method == null");
    ClientRequests.checkParams(params);
  }

  /** A call with {@code id}. */
  public static ClientRequest call(long id, String method, Object params) {
    return new ClientRequest(id, method, params);
  }

  /** A notification: the server runs it and answers nothing. */
  public static ClientRequest notification(String method, Object params) {
    return new ClientRequest(null, method, params);
  }
}
