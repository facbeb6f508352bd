package dev.parley.internal.jsonrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientRequestsTest {
  private static String write(ClientRequest request) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ClientRequests.write(out, request);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void namedParamsAreWrittenAsAnObjectInMapOrder() throws IOException {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("b", 2);
    params.put("a", "x");
    assertEquals("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"add\",\"params\":{\"b\":2,\"a\":\"x\"}}",
        write(ClientRequest.call(7, "add", params)));
  }

  @Test
  void positionalParamsFromAListAreWrittenAsAnArray() throws IOException {
    assertEquals("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"add\",\"params\":[1,2]}",
        write(ClientRequest.call(1, "add", List.of(1, 2))));
  }

  @Test
  void positionalParamsFromAnObjectArrayAreWrittenAsAnArray() throws IOException {
    assertEquals("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"f\",\"params\":[\"a\",null]}",
        write(ClientRequest.call(1, "f", new Object[] {"a", null})));
  }

  @Test
  void nullParamsAreOmitted() throws IOException {
    assertEquals("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"now\"}", write(ClientRequest.call(3, "now", null)));
  }

  @Test
  void notificationHasNoId() throws IOException {
    assertEquals("{\"jsonrpc\":\"2.0\",\"method\":\"log\",\"params\":[\"hi\"]}",
        write(ClientRequest.notification("log", List.of("hi"))));
  }

  @Test
  void batchIsAnArrayOfTheRequestsInOrder() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ClientRequests.writeBatch(out, List.of(ClientRequest.call(1, "a", null), ClientRequest.notification("b", null)));
    assertEquals("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"a\"},{\"jsonrpc\":\"2.0\",\"method\":\"b\"}]",
        out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void emptyBatchIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> ClientRequests.writeBatch(new ByteArrayOutputStream(), List.of()));
  }

  @Test
  void paramsOfAnotherShapeAreRefusedWithTheAllowedShapes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ClientRequest.call(1, "f", "text"));
    assertTrue(e.getMessage().startsWith("params must be a Map (by name), a List or an Object[] (by position)"),
        e.getMessage());
  }

  @Test
  void theStreamIsFlushedOnceAndNotClosed() throws IOException {
    int[] flushes = {0};
    boolean[] closed = {false};
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    OutputStream out = new OutputStream() {
      @Override public void write(int b) {
        bytes.write(b);
      }

      @Override public void write(byte[] b, int off, int len) {
        bytes.write(b, off, len);
      }

      @Override public void flush() {
        flushes[0]++;
      }

      @Override public void close() {
        closed[0] = true;
      }
    };
    ClientRequests.write(out, ClientRequest.call(1, "f", Map.of("a", List.of(1, 2, 3), "b", Map.of("c", "d"))));
    assertEquals(1, flushes[0]);
    assertEquals(false, closed[0]);
  }
}
