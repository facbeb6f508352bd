package dev.parley.internal.jsonrpc;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.RemoteException;
import dev.parley.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes JSON-RPC 2.0 response objects ({@code {"jsonrpc":"2.0","id":…,"result":…}} or
 * {@code {"jsonrpc":"2.0","id":…,"error":{"code":…,"message":…,"data":…}}}) into a
 * {@link ResponseBuffer} with Jackson's streaming generator. A batch answer is framed with
 * {@link #startBatch}, {@link #separator} and {@link #endBatch} around the single responses.
 *
 * <p>{@code id} is written before {@code result}/{@code error} (member order is free in JSON), so a
 * client can route each answer of a batch to its caller while streaming, without buffering results.
 */
public final class ServerResponseWriter {
  private static final JsonFactory FACTORY = Json.MAPPER.getFactory();

  /** The message of the -32603 answer sent when a result cannot be serialised. */
  public static final String UNSERIALISABLE_RESULT = "Internal error: the result could not be serialised";

  private ServerResponseWriter() {}

  /**
   * Writes a success response. When {@code result} cannot be serialised, whatever was written of it
   * is dropped and a -32603 error response is written instead.
   *
   * @return null on success, or the serialisation failure (already answered as -32603)
   */
  public static Exception writeResult(ResponseBuffer out, RequestId id, Object result) {
    int start = out.size();
    try (JsonGenerator generator = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      writeHead(generator, id);
      generator.writeFieldName(JsonRpc.RESULT);
      if (result == null) {
        generator.writeNull();
      } else {
        Json.MAPPER.writeValue(generator, result);
      }
      generator.writeEndObject();
      return null;
    } catch (IOException | RuntimeException e) {
      out.truncate(start);
      writeError(out, id, RemoteException.INTERNAL_ERROR, UNSERIALISABLE_RESULT, null);
      return e;
    }
  }

  /** Writes an error response; {@code data} may be null (then the member is omitted). */
  public static void writeError(ResponseBuffer out, RequestId id, int code, String message, JsonNode data) {
    int start = out.size();
    try {
      writeErrorObject(out, id, code, message, data);
    } catch (IOException | RuntimeException e) {
      if (data == null) {
        throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
      }
      out.truncate(start);
      writeError(out, id, code, message, null);
    }
  }

  /** Writes the error response for {@code error}. */
  public static void writeError(ResponseBuffer out, RequestId id, RemoteException error) {
    writeError(out, id, error.code(), error.getMessage(), error.data());
  }

  private static void writeErrorObject(ResponseBuffer out, RequestId id, int code, String message, JsonNode data)
      throws IOException {
    try (JsonGenerator generator = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      writeHead(generator, id);
      generator.writeObjectFieldStart(JsonRpc.ERROR);
      generator.writeNumberField(JsonRpc.CODE, code);
      generator.writeStringField(JsonRpc.MESSAGE, message == null ? "" : message);
      if (data != null) {
        generator.writeFieldName(JsonRpc.DATA);
        generator.writeTree(data);
      }
      generator.writeEndObject();
      generator.writeEndObject();
    }
  }

  /** Writes what every response starts with, {@code {"jsonrpc":"2.0","id":…}, and leaves the object open. */
  private static void writeHead(JsonGenerator generator, RequestId id) throws IOException {
    generator.writeStartObject();
    generator.writeStringField(JsonRpc.JSONRPC, JsonRpc.VERSION);
    generator.writeFieldName(JsonRpc.ID);
    id.write(generator);
  }

  /** Opens a batch answer. */
  public static void startBatch(ResponseBuffer out) {
    out.write('[');
  }

  /** Separates two responses of a batch answer. */
  public static void separator(ResponseBuffer out) {
    out.write(',');
  }

  /** Closes a batch answer. */
  public static void endBatch(ResponseBuffer out) {
    out.write(']');
  }
}
