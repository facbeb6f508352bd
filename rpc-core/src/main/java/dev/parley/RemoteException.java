package dev.parley;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A JSON-RPC error answered by the server: the call reached the server, which refused or failed it.
 *
 * <p>On the server, a remote function may throw this to answer with its own code, message and data;
 * any other exception a function throws is answered as {@link #SERVER_ERROR} with the exception's
 * message and no stack trace.
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
  /** The function threw an exception that is not a {@code RemoteException}. */
  public static final int SERVER_ERROR = -32000;

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

  /** The JSON-RPC error code. */
  public int code() {
    return code;
  }

  /** The error's {@code data} member, or null when the server sent none. */
  public JsonNode data() {
    return data;
  }

  @Override
  public String toString() {
    return getClass().getName() + ": [" + code + "] " + getMessage();
  }
}
