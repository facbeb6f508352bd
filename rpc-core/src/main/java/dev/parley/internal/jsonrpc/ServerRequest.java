package dev.parley.internal.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A valid JSON-RPC 2.0 request object as the server received it.
 *
 * @param id the request id, or null for a notification (an explicit {@code "id": null} is
 *     {@link RequestId#NULL}, a request that is answered)
 * @param method the method name
 * @param params the {@code params} member (an object or an array), or null when it was omitted
 */
public record ServerRequest(RequestId id, String method, JsonNode params) implements IncomingMessage {
  public ServerRequest {
    Objects.requireNonNull(method, "method == null");
  }

  /** True when the request carries no id: the server runs it and answers nothing. */
  public boolean isNotification() {
    return id == null;
  }
}
