package dev.parley.internal.jsonrpc;

/**
 * The member names and constant values of JSON-RPC 2.0 (https://www.jsonrpc.org/specification),
 * shared by the server and client sides of the codec.
 */
public final class JsonRpc {
  /** The {@code jsonrpc} member; its only valid value is {@link #VERSION}. */
  public static final String JSONRPC = "jsonrpc";
  /** The protocol version string every request and response carries. */
  public static final String VERSION = "2.0";
  public static final String METHOD = "method";
  public static final String PARAMS = "params";
  public static final String ID = "id";
  public static final String RESULT = "result";
  public static final String ERROR = "error";
  public static final String CODE = "code";
  public static final String MESSAGE = "message";
  public static final String DATA = "data";
  /** Method names starting with this prefix are reserved for the protocol itself. */
  public static final String RESERVED_PREFIX = "rpc.";
  /** The OpenRPC service discovery method. */
  public static final String DISCOVER = "rpc.discover";

  private JsonRpc() {}
}
