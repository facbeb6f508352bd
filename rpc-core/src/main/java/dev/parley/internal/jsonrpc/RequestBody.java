package dev.parley.internal.jsonrpc;

import java.util.List;

/**
 * A whole HTTP request body read by {@link ServerRequestReader}: malformed JSON, one message, or a
 * batch of messages. An empty batch {@code []} is read as one {@link InvalidRequest} that is not a
 * batch, because the specification answers it with a single error object.
 */
public final class RequestBody {
  private final boolean parseError;
  private final boolean batch;
  private final List<IncomingMessage> messages;

  private RequestBody(boolean parseError, boolean batch, List<IncomingMessage> messages) {
    this.parseError = parseError;
    this.batch = batch;
    this.messages = messages;
  }

  static RequestBody malformed() {
    return new RequestBody(true, false, List.of());
  }

  static RequestBody single(IncomingMessage message) {
    return new RequestBody(false, false, List.of(message));
  }

  static RequestBody batch(List<IncomingMessage> messages) {
    return new RequestBody(false, true, List.copyOf(messages));
  }

  /** True when the body is not valid JSON: the answer is one -32700 error with id null. */
  public boolean isParseError() {
    return parseError;
  }

  /** True when the body was a non-empty JSON array: the answer is an array (or 204). */
  public boolean isBatch() {
    return batch;
  }

  /** The messages in body order; empty for a parse error. */
  public List<IncomingMessage> messages() {
    return messages;
  }
}
