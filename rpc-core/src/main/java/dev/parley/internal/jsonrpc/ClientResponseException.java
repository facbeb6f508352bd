package dev.parley.internal.jsonrpc;

import java.io.IOException;

/**
 * The body a client received is JSON but not a valid JSON-RPC 2.0 response to what it sent: a
 * member is missing or of the wrong type, the id does not match, or content follows the response.
 * The client reports it as a transport failure (whether the call ran is unknown).
 */
public final class ClientResponseException extends IOException {
  private static final long serialVersionUID = 1L;

  public ClientResponseException(String message) {
    super(message);
  }
}
