package dev.parley.internal.jsonrpc;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Objects;

/**
 * A JSON-RPC request id exactly as the client sent it: a string, a number (kept in its textual form,
 * so {@code 1.50} and 40-digit integers are echoed unchanged) or null.
 */
public final class RequestId {
  /** The kinds of id JSON-RPC 2.0 allows. */
  public enum Kind { STRING, NUMBER, NULL }

  /** The id {@code null}: a request (answered), not a notification. */
  public static final RequestId NULL = new RequestId(Kind.NULL, null);

  private final Kind kind;
  private final String text;

  private RequestId(Kind kind, String text) {
    this.kind = kind;
    this.text = text;
  }

  /** A string id. */
  public static RequestId ofString(String value) {
    return new RequestId(Kind.STRING, Objects.requireNonNull(value, "value == null"));
  }

  /** A numeric id, given as the JSON number's text as received (for example {@code "1.50"}). */
  public static RequestId ofNumberText(String jsonNumber) {
    return new RequestId(Kind.NUMBER, Objects.requireNonNull(jsonNumber, "jsonNumber == null"));
  }

  public Kind kind() {
    return kind;
  }

  /** The string value or the number's text; null for {@link #NULL}. */
  public String text() {
    return text;
  }

  /** Writes this id as a JSON value. */
  public void write(JsonGenerator generator) throws IOException {
    switch (kind) {
      case STRING -> generator.writeString(text);
      case NUMBER -> generator.writeNumber(text);
      default -> generator.writeNull();
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RequestId other && kind == other.kind && Objects.equals(text, other.text);
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + Objects.hashCode(text);
  }

  @Override
  public String toString() {
    return switch (kind) {
      case STRING -> '"' + text + '"';
      case NUMBER -> text;
      default -> "null";
    };
  }
}
