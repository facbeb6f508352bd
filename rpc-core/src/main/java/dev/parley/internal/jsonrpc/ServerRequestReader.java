package dev.parley.internal.jsonrpc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a JSON-RPC 2.0 request body (a request, a notification or a batch) from a stream with
 * Jackson's streaming parser. Only {@code params} is materialised as a tree, because arguments are
 * decoded from it by name or position later.
 *
 * <p>Rules (https://www.jsonrpc.org/specification §4, §6): {@code jsonrpc} must be exactly the string
 * {@code "2.0"}; {@code method} a string; {@code params}, when present, an object or an array;
 * {@code id}, when present, a string, a number or null. A repeated member name makes the object
 * invalid. Other members are ignored. Anything after the first JSON value, except white space, is a
 * parse error.
 */
public final class ServerRequestReader {
  private static final JsonFactory FACTORY = Json.MAPPER.getFactory();

  private static final int SEEN_JSONRPC = 1;
  private static final int SEEN_METHOD = 2;
  private static final int SEEN_PARAMS = 4;
  private static final int SEEN_ID = 8;

  private ServerRequestReader() {}

  /**
   * Reads one body. Malformed JSON (including trailing content and Jackson's size constraints) is
   * reported as {@link RequestBody#isParseError()}, never thrown.
   *
   * @throws IOException when {@code in} itself fails (the connection broke, or a size limit the
   *     stream enforces was exceeded)
   */
  public static RequestBody read(InputStream in) throws IOException {
    try (JsonParser parser = FACTORY.createParser(in)) {
      JsonToken token = parser.nextToken();
      if (token == null) {
        return RequestBody.malformed();
      }
      RequestBody body;
      if (token == JsonToken.START_ARRAY) {
        List<IncomingMessage> messages = new ArrayList<>();
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
          messages.add(readMessage(parser, token));
        }
        body = messages.isEmpty()
            ? RequestBody.single(new InvalidRequest(RequestId.NULL, "empty batch"))
            : RequestBody.batch(messages);
      } else {
        body = RequestBody.single(readMessage(parser, token));
      }
      if (parser.nextToken() != null) {
        return RequestBody.malformed();
      }
      return body;
    } catch (JsonProcessingException e) {
      return RequestBody.malformed();
    }
  }

  private static IncomingMessage readMessage(JsonParser parser, JsonToken token) throws IOException {
    if (token != JsonToken.START_OBJECT) {
      parser.skipChildren();
      return new InvalidRequest(RequestId.NULL, "not an object");
    }
    int seen = 0;
    String problem = null;
    boolean badId = false;
    boolean versionOk = false;
    String method = null;
    JsonNode params = null;
    RequestId id = null;
    while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      token = parser.nextToken();
      int bit = switch (name) {
        case JsonRpc.JSONRPC -> SEEN_JSONRPC;
        case JsonRpc.METHOD -> SEEN_METHOD;
        case JsonRpc.PARAMS -> SEEN_PARAMS;
        case JsonRpc.ID -> SEEN_ID;
        default -> 0;
      };
      if (bit == 0) {
        parser.skipChildren();
        continue;
      }
      if ((seen & bit) != 0) {
        problem = "member '" + name + "' repeated";
        parser.skipChildren();
        continue;
      }
      seen |= bit;
      switch (bit) {
        case SEEN_JSONRPC -> versionOk = token == JsonToken.VALUE_STRING && JsonRpc.VERSION.equals(parser.getText());
        case SEEN_METHOD -> {
          if (token == JsonToken.VALUE_STRING) {
            method = parser.getText();
          }
        }
        case SEEN_PARAMS -> {
          if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
            params = parser.readValueAsTree();
          } else if (problem == null) {
            problem = "params is neither an object nor an array";
          }
        }
        default -> {
          switch (token) {
            case VALUE_STRING -> id = RequestId.ofString(parser.getText());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> id = RequestId.ofNumberText(parser.getText());
            case VALUE_NULL -> id = RequestId.NULL;
            default -> badId = true;
          }
        }
      }
      parser.skipChildren();
    }
    if (badId) {
      return new InvalidRequest(RequestId.NULL, "id is neither a string, a number nor null");
    }
    RequestId answerId = id == null ? RequestId.NULL : id;
    if (!versionOk) {
      return new InvalidRequest(answerId, "jsonrpc is not \"2.0\"");
    }
    if (method == null) {
      return new InvalidRequest(answerId, "method is missing or not a string");
    }
    if (problem != null) {
      return new InvalidRequest(answerId, problem);
    }
    return new ServerRequest(id, method, params);
  }
}
