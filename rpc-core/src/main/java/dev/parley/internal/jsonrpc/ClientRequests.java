package dev.parley.internal.jsonrpc;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.parley.internal.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes JSON-RPC 2.0 requests, notifications and batches, as a client sends them, straight into an
 * output stream (for example an okio buffer's or an HTTP body sink's stream). The stream is flushed
 * but never closed.
 *
 * <pre>{@code
 * ClientRequests.write(out, ClientRequest.call(7, "add", Map.of("a", 1, "b", 2)));
 * // {"jsonrpc":"2.0","id":7,"method":"add","params":{"a":1,"b":2}}
 * }</pre>
 *
 * <p>{@code id} is written before {@code method} and {@code params} so that a streaming reader
 * learns it first.
 */
public final class ClientRequests {
  /**
   * Flushing after every value would push a partial body to the stream (for a socket sink: a
   * packet per parameter); the generator is flushed once, at the end.
   */
  private static final ObjectWriter WRITER =
      Json.MAPPER.writer().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);

  private ClientRequests() {}

  /** Writes one request or notification. */
  public static void write(OutputStream out, ClientRequest request) throws IOException {
    try (JsonGenerator gen = open(out)) {
      writeObject(gen, request);
    }
  }

  /** Writes a batch: a JSON array of the requests, in order. {@code requests} must not be empty. */
  public static void writeBatch(OutputStream out, List<ClientRequest> requests) throws IOException {
    if (requests.isEmpty()) {
      throw new IllegalArgumentException("a JSON-RPC batch must hold at least one request");
    }
    try (JsonGenerator gen = open(out)) {
      gen.writeStartArray();
      for (ClientRequest request : requests) {
        writeObject(gen, request);
      }
      gen.writeEndArray();
    }
  }

  /**
   * Checks that {@code params} is a form JSON-RPC allows: a {@code Map} (by name), a {@code List}
   * or an array of objects (by position), or null.
   *
   * @throws IllegalArgumentException for anything else
   */
  static void checkParams(Object params) {
    if (params == null || params instanceof Map || params instanceof List || params instanceof Object[]) {
      return;
    }
    throw new IllegalArgumentException("params must be a Map (by name), a List or an Object[] (by position),"
        + " or null for none; got " + params.getClass().getName());
  }

  private static JsonGenerator open(OutputStream out) throws IOException {
    Objects.requireNonNull(out, "out == null");
    JsonGenerator gen = WRITER.createGenerator(out, JsonEncoding.UTF8);
    // The caller owns the stream (an HTTP body sink must not be closed by the body writer).
    gen.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    return gen;
  }

  private static void writeObject(JsonGenerator gen, ClientRequest request) throws IOException {
    gen.writeStartObject();
    gen.writeStringField(JsonRpc.JSONRPC, JsonRpc.VERSION);
    if (request.id() != null) {
      gen.writeNumberField(JsonRpc.ID, request.id());
    }
    gen.writeStringField(JsonRpc.METHOD, request.method());
    if (request.params() != null) {
      gen.writeFieldName(JsonRpc.PARAMS);
      WRITER.writeValue(gen, request.params());
    }
    gen.writeEndObject();
  }
}
