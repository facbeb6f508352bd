package dev.parley.internal.jsonrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ServerRequestReaderTest {
  private static RequestBody read(String json) {
    try {
      return ServerRequestReader.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static IncomingMessage single(String json) {
    RequestBody body = read(json);
    assertFalse(body.isParseError());
    assertFalse(body.isBatch());
    return body.messages().get(0);
  }

  private static ServerRequest valid(String json) {
    return assertInstanceOf(ServerRequest.class, single(json));
  }

  private static InvalidRequest invalid(String json) {
    return assertInstanceOf(InvalidRequest.class, single(json));
  }

  @Test
  void requestWithPositionalParamsIsRead() {
    ServerRequest request = valid("{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":[1,2],\"id\":7}");
    assertEquals("add", request.method());
    assertEquals(2, request.params().size());
    assertEquals(RequestId.ofNumberText("7"), request.id());
  }

  @Test
  void requestWithNamedParamsKeepsThemAsATree() {
    ServerRequest request = valid("{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":{\"a\":{\"deep\":[1]}},\"id\":\"x\"}");
    assertEquals(1, request.params().get("a").get("deep").get(0).asInt());
    assertEquals(RequestId.ofString("x"), request.id());
  }

  @Test
  void missingIdIsANotification() {
    assertTrue(valid("{\"jsonrpc\":\"2.0\",\"method\":\"tick\"}").isNotification());
  }

  @Test
  void nullIdIsARequest() {
    ServerRequest request = valid("{\"jsonrpc\":\"2.0\",\"method\":\"tick\",\"id\":null}");
    assertFalse(request.isNotification());
    assertEquals(RequestId.NULL, request.id());
  }

  @Test
  void missingParamsAreNull() {
    assertNull(valid("{\"jsonrpc\":\"2.0\",\"method\":\"tick\",\"id\":1}").params());
  }

  @Test
  void numberIdKeepsItsText() {
    assertEquals("1.50", valid("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1.50}").id().text());
    assertEquals("-0", valid("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":-0}").id().text());
    assertEquals("98765432109876543210987654321", valid("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":98765432109876543210987654321}").id().text());
  }

  @Test
  void unknownMembersAreIgnored() {
    assertEquals("m", valid("{\"jsonrpc\":\"2.0\",\"x\":{\"y\":[1,{}]},\"method\":\"m\",\"id\":1}").method());
  }

  @Test
  void booleanIdIsInvalidWithNullId() {
    assertEquals(RequestId.NULL, invalid("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":false}").id());
  }

  @Test
  void objectIdIsInvalidWithNullId() {
    assertEquals(RequestId.NULL, invalid("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":{\"n\":1}}").id());
  }

  @Test
  void wrongVersionIsInvalidButKeepsAValidId() {
    assertEquals(RequestId.ofNumberText("3"), invalid("{\"jsonrpc\":\"2\",\"method\":\"m\",\"id\":3}").id());
  }

  @Test
  void methodNotAStringIsInvalid() {
    invalid("{\"jsonrpc\":\"2.0\",\"method\":{\"a\":1},\"id\":3}");
  }

  @Test
  void stringParamsAreInvalid() {
    invalid("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":\"x\",\"id\":3}");
  }

  @Test
  void repeatedIdIsInvalid() {
    invalid("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":3,\"id\":4}");
  }

  @Test
  void nonObjectIsInvalid() {
    invalid("\"just a string\"");
  }

  @Test
  void batchKeepsElementOrder() {
    RequestBody body = read("[{\"jsonrpc\":\"2.0\",\"method\":\"a\",\"id\":1},5,{\"jsonrpc\":\"2.0\",\"method\":\"b\"}]");
    assertTrue(body.isBatch());
    assertEquals(3, body.messages().size());
    assertEquals("a", ((ServerRequest) body.messages().get(0)).method());
    assertInstanceOf(InvalidRequest.class, body.messages().get(1));
    assertTrue(((ServerRequest) body.messages().get(2)).isNotification());
  }

  @Test
  void nestedArrayElementIsOneInvalidRequest() {
    RequestBody body = read("[[1,2],{\"jsonrpc\":\"2.0\",\"method\":\"a\",\"id\":1}]");
    assertEquals(2, body.messages().size());
    assertInstanceOf(InvalidRequest.class, body.messages().get(0));
  }

  @Test
  void emptyBatchIsOneInvalidRequestThatIsNotABatch() {
    RequestBody body = read("[]");
    assertFalse(body.isBatch());
    assertInstanceOf(InvalidRequest.class, body.messages().get(0));
  }

  /**
   * Bodies that are no JSON text: trailing content, an empty or blank body, a truncated one,
   * non-standard numbers, nesting beyond Jackson's limit, a number id beyond its length limit.
   */
  @ParameterizedTest
  @MethodSource("unparsableBodies")
  void bodyThatIsNoJsonTextIsAParseError(String json) {
    assertTrue(read(json).isParseError());
  }

  static Stream<String> unparsableBodies() {
    return Stream.of(
        "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1}]",
        "[] []",
        "",
        "   ",
        "{\"jsonrpc\":\"2.0\",\"method\":\"m\"",
        "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":NaN}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":" + "[".repeat(5000) + "]".repeat(5000) + ",\"id\":1}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":" + "9".repeat(5000) + "}");
  }

  @Test
  void trailingWhiteSpaceIsFine() {
    assertFalse(read("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1} \r\n\t").isParseError());
  }

  @Test
  void failureOfTheStreamItselfIsThrown() {
    InputStream broken = new InputStream() {
      @Override
      public int read() throws IOException {
        throw new IOException("connection reset");
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        throw new IOException("connection reset");
      }
    };
    assertThrows(IOException.class, () -> ServerRequestReader.read(broken));
  }

  @Test
  void eachMessageIsTakenOnceAndTheBodyThenNoLongerHoldsIt() {
    RequestBody body = read("[{\"jsonrpc\":\"2.0\",\"method\":\"a\",\"id\":1},{\"jsonrpc\":\"2.0\",\"method\":\"b\"}]");
    assertEquals(2, body.size());
    assertEquals(2, body.messages().size(), "before any take the whole list is there");
    assertEquals("a", assertInstanceOf(ServerRequest.class, body.take(0)).method());
    IllegalStateException again = assertThrows(IllegalStateException.class, () -> body.take(0));
    assertTrue(again.getMessage().contains("already taken"), again.getMessage());
    assertThrows(IllegalStateException.class, body::messages, "a taken message is not reachable through the body");
    assertEquals("b", assertInstanceOf(ServerRequest.class, body.take(1)).method());
    assertEquals(2, body.size());
  }
}
