package dev.parley.internal.jsonrpc;

import java.util.Objects;

/**
 * An element of a request body that is not a valid request object. It is always answered with
 * -32600 "Invalid Request", even without an id.
 *
 * @param id the id when one of a valid type was found, else {@link RequestId#NULL}
 * @param reason what was wrong, for server-side logs (never sent: the answer follows the
 *     specification's exact wording)
 */
public record InvalidRequest(RequestId id, String reason) implements IncomingMessage {
  public InvalidRequest {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(reason, "reason == null");
  }
}
