package dev.parley.internal.jsonrpc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.parley.RemoteException;
import dev.parley.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Reads JSON-RPC 2.0 responses, as a client receives them, straight from the body stream. A
 * {@code result} is decoded directly into the wanted type (no intermediate tree or string); an
 * {@code error} becomes a {@link RemoteException} whose {@code data} is kept as a {@link JsonNode}.
 *
 * <pre>{@code
 * Object sum = ClientResponses.read(body, 7, Integer.class); // or throws RemoteException
 * }</pre>
 *
 * <p>Members may come in any order. A response is trusted only if it says {@code "jsonrpc":"2.0"},
 * carries exactly one of {@code result} and {@code error}, and answers the id that was sent;
 * anything else is a {@link ClientResponseException}, never a wrong result. The stream is read to
 * its end (content after the response is an error) and closed.
 */
public final class ClientResponses {
  private static final JsonFactory FACTORY = Json.MAPPER.getFactory();

  private ClientResponses() {}

  /**
   * Reads the response to the call with {@code expectedId} and returns its result decoded as
   * {@code resultType} ({@code void.class}/{@code Void.class}: skipped, null returned).
   *
   * @throws RemoteException the response is a JSON-RPC error (with the call's id, or a null id
   *     when the server could not read the request)
   * @throws ClientResponseException the body is JSON but not a valid response to this call
   * @throws com.fasterxml.jackson.core.JsonProcessingException the body is not JSON, or the result
   *     does not decode as {@code resultType}
   * @throws IOException reading the stream failed
   */
  public static Object read(InputStream in, long expectedId, Type resultType) throws IOException {
    try (JsonParser p = FACTORY.createParser(in)) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw new ClientResponseException("expected a JSON-RPC response object, got " + describe(first));
      }
      Member m = readMember(p, id -> id == expectedId ? resultType : null, resultType);
      expectEnd(p);
      String problem = m.problem();
      if (problem != null) {
        throw new ClientResponseException(problem);
      }
      if (m.error != null) {
        if (m.idKind == IdKind.LONG && m.id != expectedId || m.idKind == IdKind.OTHER) {
          throw new ClientResponseException("the error answers id " + m.idText() + ", the request had id " + expectedId);
        }
        throw m.error;
      }
      if (m.idKind != IdKind.LONG || m.id != expectedId) {
        throw new ClientResponseException("the result answers id " + m.idText() + ", the request had id " + expectedId);
      }
      return m.result;
    }
  }

  /**
   * Reads a batch response. {@code resultTypes} gives the result type for each id the batch sent
   * and null for any other id; answers to other ids are skipped. A single response object instead
   * of an array (what a server sends when it cannot read the batch at all) is accepted.
   *
   * @throws ClientResponseException the body is JSON but not a batch response
   * @throws com.fasterxml.jackson.core.JsonProcessingException the body is not JSON, or a result
   *     does not decode as its type
   * @throws IOException reading the stream failed
   */
  public static ClientBatchResponse readBatch(InputStream in, LongFunction<Type> resultTypes) throws IOException {
    Map<Long, ClientOutcome> outcomes = new HashMap<>();
    RemoteException errorWithoutId = null;
    try (JsonParser p = FACTORY.createParser(in)) {
      JsonToken first = p.nextToken();
      boolean array = first == JsonToken.START_ARRAY;
      if (!array && first != JsonToken.START_OBJECT) {
        throw new ClientResponseException("expected a JSON-RPC batch response (array), got " + describe(first));
      }
      JsonToken t = array ? p.nextToken() : first;
      while (t != JsonToken.END_ARRAY) {
        if (t != JsonToken.START_OBJECT) {
          throw new ClientResponseException("a batch response holds response objects, got " + describe(t));
        }
        Member m = readMember(p, resultTypes, null);
        if (m.idKind == IdKind.LONG && resultTypes.apply(m.id) != null) {
          String problem = m.problem();
          ClientOutcome outcome = problem != null ? ClientOutcome.problem(problem)
              : m.error != null ? ClientOutcome.error(m.error)
              : ClientOutcome.result(m.result);
          if (outcomes.putIfAbsent(m.id, outcome) != null) {
            outcomes.put(m.id, ClientOutcome.problem("the server answered id " + m.id + " more than once"));
          }
        } else if (m.idKind != IdKind.LONG && m.idKind != IdKind.OTHER && m.error != null && m.problem() == null
            && errorWithoutId == null) {
          errorWithoutId = m.error;
        }
        if (!array) {
          break;
        }
        t = p.nextToken();
        if (t == null) {
          throw new ClientResponseException("the batch response ends before its closing ']'");
        }
      }
      expectEnd(p);
    }
    return new ClientBatchResponse(outcomes, errorWithoutId);
  }

  private enum IdKind { ABSENT, NULL, LONG, OTHER }

  /** One response object as read; validity is judged by the caller. */
  private static final class Member {
    String jsonrpc;
    IdKind idKind = IdKind.ABSENT;
    long id;
    String otherId;
    boolean hasResult;
    Object result;
    RemoteException error;
    boolean hasError;

    String idText() {
      return switch (idKind) {
        case ABSENT -> "(none)";
        case NULL -> "null";
        case LONG -> Long.toString(id);
        default -> otherId;
      };
    }

    String problem() {
      if (!JsonRpc.VERSION.equals(jsonrpc)) {
        return "the response has no \"jsonrpc\": \"2.0\" member";
      }
      if (hasResult == hasError) {
        return hasResult ? "the response has both \"result\" and \"error\""
            : "the response has neither \"result\" nor \"error\"";
      }
      return null;
    }
  }

  /**
   * Reads one response object; the parser is on its START_OBJECT and is left on its END_OBJECT.
   * A result that comes before the id is decoded as {@code typeBeforeId} when given (a single
   * call: the caller checks the id afterwards and drops the value if it does not match), else
   * buffered until the id tells its type (a batch).
   */
  private static Member readMember(JsonParser p, LongFunction<Type> resultTypes, Type typeBeforeId)
      throws IOException {
    Member m = new Member();
    TokenBuffer early = null;
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      switch (name) {
        case JsonRpc.JSONRPC -> {
          m.jsonrpc = value == JsonToken.VALUE_STRING ? p.getText() : "";
          p.skipChildren();
        }
        case JsonRpc.ID -> readId(p, value, m);
        case JsonRpc.RESULT -> {
          m.hasResult = true;
          if (m.idKind == IdKind.LONG || m.idKind == IdKind.NULL || m.idKind == IdKind.OTHER) {
            Type type = m.idKind == IdKind.LONG ? resultTypes.apply(m.id) : null;
            if (type != null) {
              m.result = decode(p, type);
            } else {
              p.skipChildren();
            }
          } else if (typeBeforeId != null) {
            m.result = decode(p, typeBeforeId);
          } else {
            early = new TokenBuffer(p);
            early.copyCurrentStructure(p);
          }
        }
        case JsonRpc.ERROR -> {
          // "error": null next to a result is JSON-RPC 1.0 style; tolerated as no error.
          if (value != JsonToken.VALUE_NULL) {
            m.hasError = true;
            m.error = readError(p, value);
          }
        }
        default -> p.skipChildren();
      }
    }
    if (t != JsonToken.END_OBJECT) {
      throw new ClientResponseException("the response object ends early");
    }
    if (early != null) {
      Type type = m.idKind == IdKind.LONG ? resultTypes.apply(m.id) : null;
      if (type != null) {
        try (JsonParser replay = early.asParser(p.getCodec())) {
          replay.nextToken();
          m.result = decode(replay, type);
        }
      }
    }
    return m;
  }

  private static void readId(JsonParser p, JsonToken value, Member m) throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      m.idKind = IdKind.NULL;
    } else if (value == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
      m.idKind = IdKind.LONG;
      m.id = p.getLongValue();
    } else if (value != null && value.isScalarValue()) {
      m.idKind = IdKind.OTHER;
      m.otherId = value == JsonToken.VALUE_STRING ? '"' + shorten(p.getText()) + '"' : shorten(p.getText());
    } else {
      m.idKind = IdKind.OTHER;
      m.otherId = "(a JSON " + describe(value) + ")";
      p.skipChildren();
    }
  }

  private static Object decode(JsonParser p, Type type) throws IOException {
    if (type == void.class || type == Void.class) {
      p.skipChildren();
      return null;
    }
    return Json.MAPPER.readValue(p, Json.type(type));
  }

  private static RemoteException readError(JsonParser p, JsonToken value) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      throw new ClientResponseException("\"error\" must be an object, got " + describe(value));
    }
    Integer code = null;
    String message = null;
    JsonNode data = null;
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      switch (name) {
        case JsonRpc.CODE -> {
          if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
            throw new ClientResponseException("the error's \"code\" must be an integer");
          }
          code = p.getIntValue();
        }
        case JsonRpc.MESSAGE -> {
          if (v == JsonToken.VALUE_STRING) {
            message = p.getText();
          } else {
            p.skipChildren();
          }
        }
        case JsonRpc.DATA -> {
          JsonNode node = Json.MAPPER.readTree(p);
          data = node == null || node.isNull() ? null : node;
        }
        default -> p.skipChildren();
      }
    }
    if (t != JsonToken.END_OBJECT) {
      throw new ClientResponseException("the error object ends early");
    }
    if (code == null) {
      throw new ClientResponseException("the error object has no \"code\"");
    }
    return new RemoteException(code, message == null ? "" : message, data);
  }

  private static void expectEnd(JsonParser p) throws IOException {
    JsonToken extra = p.nextToken();
    if (extra != null) {
      throw new ClientResponseException("content follows the response: " + describe(extra));
    }
  }

  private static String describe(JsonToken t) {
    if (t == null) {
      return "an empty body";
    }
    return switch (t) {
      case START_OBJECT -> "object";
      case START_ARRAY -> "array";
      case VALUE_STRING -> "string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
      case VALUE_TRUE, VALUE_FALSE -> "boolean";
      case VALUE_NULL -> "null";
      default -> t.asString() == null ? t.name() : t.asString();
    };
  }

  private static String shorten(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}
