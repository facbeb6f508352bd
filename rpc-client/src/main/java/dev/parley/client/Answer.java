package dev.parley.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.parley.CallOutcome;
import dev.parley.TransportException;
import dev.parley.client.internal.Bodies;
import dev.parley.internal.jsonrpc.ClientResponseException;
import dev.parley.internal.jsonrpc.ClientResponses;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import okhttp3.Response;

/**
 * A JSON-RPC answer as an {@link Exchange} delivers it: the bytes opened from a sealed frame, or
 * the body of a plain response, read as a stream straight into the decoder (no copy). Empty for
 * notifications. The reader closes it.
 */
final class Answer implements AutoCloseable {
  /** No answer: a notification's, or an all-notification batch's. */
  static final Answer NONE = new Answer(Bodies.Slice.EMPTY, null, 0);

  private final Bodies.Slice bytes;
  private final Response response;
  private final long maxBytes;

  private Answer(Bodies.Slice bytes, Response response, long maxBytes) {
    this.bytes = bytes;
    this.response = response;
    this.maxBytes = maxBytes;
  }

  /** The JSON-RPC bytes of an opened sealed answer (empty for a notification's). */
  static Answer sealed(Bodies.Slice json) {
    return json.isEmpty() ? NONE : new Answer(json, null, 0);
  }

  /** A plain 200 answer, its body read as a stream of at most {@code maxBytes}. */
  static Answer plain(Response response, long maxBytes) {
    return new Answer(null, response, maxBytes);
  }

  boolean isEmpty() {
    return response == null && bytes.isEmpty();
  }

  /** True when the bytes come from the network as they are read (a failure then is a broken connection). */
  boolean streamed() {
    return response != null;
  }

  InputStream stream() {
    return response != null ? Bodies.limited(response.body().byteStream(), maxBytes) : bytes.stream();
  }

  /**
   * Reads the JSON-RPC response to the call {@code id} and closes this answer: its result as
   * {@code type}, or the {@link dev.parley.RemoteException} it carries thrown.
   *
   * @throws TransportException the answer is not the JSON-RPC response to that call, or the
   *     connection broke while it was read (whether the call ran is then unknown)
   */
  Object result(long id, Type type, String url, String what, boolean sync) {
    try (this) {
      return ClientResponses.read(stream(), id, type);
    } catch (ClientResponseException | JsonProcessingException e) {
      throw Failures.invalid(e, url, what);
    } catch (IOException e) {
      throw failure(e, url, what, sync);
    }
  }

  /** An answer that could not be read: a broken connection if it was streamed, else not JSON-RPC. */
  TransportException failure(IOException e, String url, String what, boolean sync) {
    if (e instanceof ClientResponseException || e instanceof JsonProcessingException || !streamed()) {
      return Failures.invalid(e, url, what);
    }
    return Failures.io(e, url, what, true, sync, CallOutcome.UNKNOWN);
  }

  @Override
  public void close() {
    if (response != null) {
      response.close();
    }
  }
}
