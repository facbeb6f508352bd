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
  /** The messages in body order; a null entry was {@linkplain #take taken}. */
  private final IncomingMessage[] pending;
  private boolean taken;

  private RequestBody(boolean parseError, boolean batch, List<IncomingMessage> messages) {
    this.parseError = parseError;
    this.batch = batch;
    this.pending = messages.toArray(IncomingMessage[]::new);
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

  /**
   * The messages in body order (a copy of the list); empty for a parse error.
   *
   * @throws IllegalStateException if a message was already {@linkplain #take taken}
   */
  public List<IncomingMessage> messages() {
    if (taken) {
      throw new IllegalStateException("the dispatcher took the messages of this body");
    }
    return List.of(pending);
  }

  /** The number of messages ({@code messages().size()}). */
  public int size() {
    return pending.length;
  }

  /**
   * The message at {@code index}, handed over once: the dispatcher takes each message as it runs
   * it, and the body no longer holds it, so a large {@code params} tree can go as soon as its
   * function has read its arguments instead of staying reachable until the answer is sent.
   *
   * @throws IllegalStateException if the message was already taken
   */
  public IncomingMessage take(int index) {
    IncomingMessage message = pending[index];
    if (message == null) {
      throw new IllegalStateException("message " + index + " was already taken");
    }
    pending[index] = null;
    taken = true;
    return message;
  }
}
