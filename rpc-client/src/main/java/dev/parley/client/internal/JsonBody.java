package dev.parley.client.internal;

import dev.parley.internal.jsonrpc.ClientRequest;
import dev.parley.internal.jsonrpc.ClientRequests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.Buffer;
import okio.BufferedSink;

/**
 * A JSON-RPC request body, serialised when the call is made.
 *
 * <p>Jackson writes into an okio {@link Buffer}; {@link #writeTo} hands the buffer's segments to
 * OkHttp's sink without copying them (okio moves or shares segments). Serialising at call time,
 * rather than inside {@code writeTo} on OkHttp's thread, captures the parameters as they are when
 * the caller calls (an async caller may change them afterwards), throws a parameter Jackson cannot
 * serialise as {@link IllegalArgumentException} to the caller instead of as a network failure, and
 * gives the request a Content-Length instead of chunked encoding.
 */
public final class JsonBody extends RequestBody {
  /** {@code application/json}, exactly (no charset parameter: JSON is UTF-8 by definition). */
  public static final MediaType JSON = MediaType.get("application/json");

  private final Buffer content;

  private JsonBody(Buffer content) {
    this.content = content;
  }

  /** The body of one request or notification. */
  public static JsonBody of(ClientRequest request) {
    return new JsonBody(buffer(request));
  }

  /** A body of bytes already serialised (read through a copy: {@code content} stays intact). */
  public static JsonBody of(Buffer content) {
    return new JsonBody(content);
  }

  /** One request or notification serialised into a new buffer. */
  public static Buffer buffer(ClientRequest request) {
    Buffer buffer = new Buffer();
    write(buffer, request);
    return buffer;
  }

  /** The body of a batch whose entries were serialised one by one with {@link #write}. */
  public static JsonBody ofBatch(List<Buffer> entries) {
    return new JsonBody(batch(entries));
  }

  /** The bytes of a batch whose entries were serialised one by one with {@link #write}. */
  public static Buffer batch(List<Buffer> entries) {
    Buffer buffer = new Buffer();
    buffer.writeByte('[');
    for (int i = 0; i < entries.size(); i++) {
      if (i > 0) {
        buffer.writeByte(',');
      }
      Buffer entry = entries.get(i);
      buffer.write(entry.copy(), entry.size());
    }
    buffer.writeByte(']');
    return buffer;
  }

  /**
   * Serialises {@code request} into {@code buffer}.
   *
   * @throws IllegalArgumentException a parameter cannot be serialised as JSON
   */
  public static void write(Buffer buffer, ClientRequest request) {
    try {
      ClientRequests.write(buffer.outputStream(), request);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialise the params of '" + request.method() + "' as JSON: "
          + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // an okio Buffer does not fail
    }
  }

  @Override
  public MediaType contentType() {
    return JSON;
  }

  @Override
  public long contentLength() {
    return content.size();
  }

  @Override
  public void writeTo(BufferedSink sink) throws IOException {
    // A copy shares the segments, so the body can be written again (OkHttp may, e.g. on a 408).
    Buffer copy = content.copy();
    sink.write(copy, copy.size());
  }
}
