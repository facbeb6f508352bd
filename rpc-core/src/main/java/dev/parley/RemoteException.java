package dev.parley;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.internal.Json;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Objects;

/**
 * A JSON-RPC error answered by the server: the call reached the server, which refused or failed it.
 *
 * <p>On the server, a remote function may throw this to answer with its own code, message and data
 * ({@link #of} turns a Java value into the data); a function's declared {@link RemoteError} exceptions
 * are answered with their codes; any other exception is answered as {@link #SERVER_ERROR} with a
 * generic message (the server logs the exception).
 *
 * <p>On the client, a generated stub turns an answer with the code of a declared
 * {@link RemoteError} exception back into that exception; every other error answer is thrown as
 * this class. {@link #dataAs} decodes the data.
 *
 * <p>Codes: the JSON-RPC 2.0 standard codes ({@link #PARSE_ERROR} … {@link #INTERNAL_ERROR}),
 * Parley's framework codes in -32000…-32099 (listed in docs/ERRORS.md), and application codes
 * anywhere else.
 */
public class RemoteException extends RpcException {
  private static final long serialVersionUID = 1L;

  /** Invalid JSON was received by the server. */
  public static final int PARSE_ERROR = -32700;
  /** The JSON sent is not a valid request object. */
  public static final int INVALID_REQUEST = -32600;
  /** The function does not exist or is not available. */
  public static final int METHOD_NOT_FOUND = -32601;
  /** Invalid function parameters: missing, unknown, or of the wrong type. */
  public static final int INVALID_PARAMS = -32602;
  /** An internal error in the server. */
  public static final int INTERNAL_ERROR = -32603;
  /** The function threw an exception that is neither a {@code RemoteException} nor a declared typed error. */
  public static final int SERVER_ERROR = -32000;
  /**
   * The caller's deadline passed before the function finished (docs/ERRORS.md): the server
   * interrupted or cancelled it, or did not start it. Whether it did part of its work is unknown.
   * The Parley client reports this answer as an {@link RpcTimeoutException}.
   */
  public static final int DEADLINE_EXCEEDED = -32001;

  /** The message sent when an application error has none of its own. */
  static final String APPLICATION_ERROR_MESSAGE = "Application error";

  private final int code;
  private final transient JsonNode data;

  /** An error with no data. */
  public RemoteException(int code, String message) {
    this(code, message, null);
  }

  /** An error with optional structured {@code data} (any JSON value, or null for none). */
  public RemoteException(int code, String message, JsonNode data) {
    super(Objects.requireNonNull(message, "message == null"), null);
    this.code = code;
    this.data = data;
  }

  /**
   * An error whose {@code data} is {@code value} as JSON (a record, a map, a list …, written with
   * Parley's Jackson configuration; null for no data). A null or blank {@code message} becomes
   * {@code "Application error"}. Generated dispatchers answer {@link RemoteError} exceptions with it.
   *
   * <pre>{@code
   * throw RemoteException.of(4001, "insufficient funds", new Shortfall(balance, amount));
   * }</pre>
   *
   * @throws IllegalArgumentException {@code value} cannot be written as JSON
   */
  public static RemoteException of(int code, String message, Object value) {
    JsonNode data = value == null ? null : Json.MAPPER.valueToTree(value);
    return new RemoteException(code, message == null || message.isBlank() ? APPLICATION_ERROR_MESSAGE : message,
        data == null || data.isNull() ? null : data);
  }

  /** The JSON-RPC error code. */
  public int code() {
    return code;
  }

  /** The error's {@code data} member, or null when the server sent none. */
  public JsonNode data() {
    return data;
  }

  /**
   * The {@code data} decoded as {@code type} (a {@code Class}, or a {@link TypeRef#type()}), or null
   * when there is none or it does not decode as {@code type}: an error answer is never made worse
   * by data of an unexpected shape. Generated stubs use it to rebuild {@link RemoteError} exceptions.
   */
  public <T> T dataAs(Type type) {
    Objects.requireNonNull(type, "type == null");
    if (data == null) {
      return null;
    }
    try {
      return Json.MAPPER.readerFor(Json.type(type)).readValue(data);
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return getClass().getName() + ": [" + code + "] " + getMessage();
  }
}
