package dev.parley.internal.jsonrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerResponseWriterTest {
  /** A value Jackson cannot serialise. */
  public static final class Bad {
    public String getX() {
      throw new IllegalStateException("nope");
    }
  }

  private static String text(ResponseBuffer out) {
    ByteBuffer bytes = out.toByteBuffer();
    return new String(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining(), StandardCharsets.UTF_8);
  }

  @Test
  void resultResponseHasVersionIdAndResult() {
    ResponseBuffer out = new ResponseBuffer(16);
    assertNull(ServerResponseWriter.writeResult(out, RequestId.ofNumberText("1"), Map.of("a", List.of(1, 2))));
    assertEquals("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"a\":[1,2]}}", text(out));
  }

  @Test
  void nullResultIsWrittenAsNull() {
    ResponseBuffer out = new ResponseBuffer(16);
    ServerResponseWriter.writeResult(out, RequestId.ofString("q"), null);
    assertEquals("{\"jsonrpc\":\"2.0\",\"id\":\"q\",\"result\":null}", text(out));
  }

  @Test
  void numberIdIsWrittenExactlyAsReceived() {
    ResponseBuffer out = new ResponseBuffer(16);
    ServerResponseWriter.writeResult(out, RequestId.ofNumberText("1.50"), 1);
    assertEquals("{\"jsonrpc\":\"2.0\",\"id\":1.50,\"result\":1}", text(out));
  }

  @Test
  void errorResponseOmitsAbsentData() {
    ResponseBuffer out = new ResponseBuffer(16);
    ServerResponseWriter.writeError(out, RequestId.NULL, -32700, "Parse error", null);
    assertEquals("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"Parse error\"}}", text(out));
  }

  @Test
  void errorResponseCarriesData() {
    ResponseBuffer out = new ResponseBuffer(16);
    ServerResponseWriter.writeError(out, RequestId.ofNumberText("2"), 7, "m", JsonNodeFactory.instance.textNode("d"));
    assertEquals("{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":7,\"message\":\"m\",\"data\":\"d\"}}", text(out));
  }

  @Test
  void unserialisableResultIsReplacedByInternalError() {
    ResponseBuffer out = new ResponseBuffer(16);
    out.write('[');
    Exception failure = ServerResponseWriter.writeResult(out, RequestId.ofNumberText("4"), new Bad());
    assertNotNull(failure);
    assertEquals("[{\"jsonrpc\":\"2.0\",\"id\":4,\"error\":{\"code\":-32603,\"message\":\""
        + ServerResponseWriter.UNSERIALISABLE_RESULT + "\"}}", text(out));
  }

  @Test
  void batchIsFramedAsAnArray() {
    ResponseBuffer out = new ResponseBuffer(4);
    ServerResponseWriter.startBatch(out);
    ServerResponseWriter.writeResult(out, RequestId.ofNumberText("1"), 1);
    ServerResponseWriter.separator(out);
    ServerResponseWriter.writeResult(out, RequestId.ofNumberText("2"), 2);
    ServerResponseWriter.endBatch(out);
    assertEquals("[{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":1},{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":2}]", text(out));
  }
}
