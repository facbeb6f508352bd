package dev.parley.internal.jsonrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.RemoteException;
import dev.parley.TypeRef;
import dev.parley.internal.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The client side of the codec writes what the server side reads, and reads what it writes. */
class ClientServerRoundTripTest {
  record Point(int x, int y) {}

  private static RequestBody sendToServer(ByteArrayOutputStream written) throws IOException {
    return ServerRequestReader.read(new ByteArrayInputStream(written.toByteArray()));
  }

  private static ByteArrayInputStream bytes(ResponseBuffer buffer) {
    ByteBuffer b = buffer.toByteBuffer();
    return new ByteArrayInputStream(b.array(), b.arrayOffset() + b.position(), b.remaining());
  }

  @Test
  void serverReadsTheClientsCallWithIdMethodAndNamedParams() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ClientRequests.write(out, ClientRequest.call(42, "move", Map.of("to", new Point(1, 2))));
    ServerRequest request = assertInstanceOf(ServerRequest.class, sendToServer(out).messages().get(0));
    assertEquals(RequestId.ofNumberText("42"), request.id());
    assertEquals("move", request.method());
    assertEquals(new Point(1, 2), Json.MAPPER.treeToValue(request.params().get("to"), Point.class));
  }

  @Test
  void serverReadsTheClientsNotificationAsANotification() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ClientRequests.write(out, ClientRequest.notification("log", List.of("hi")));
    ServerRequest request = assertInstanceOf(ServerRequest.class, sendToServer(out).messages().get(0));
    assertTrue(request.isNotification());
  }

  @Test
  void serverReadsTheClientsBatchInOrder() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ClientRequests.writeBatch(out, List.of(ClientRequest.call(1, "a", null), ClientRequest.call(2, "b", List.of(3))));
    RequestBody body = sendToServer(out);
    assertTrue(body.isBatch());
    assertEquals("b", ((ServerRequest) body.messages().get(1)).method());
  }

  @Test
  void clientDecodesTheServersResultIntoTheWantedType() throws IOException {
    ResponseBuffer buffer = new ResponseBuffer(64);
    ServerResponseWriter.writeResult(buffer, RequestId.ofNumberText("9"), List.of(new Point(1, 2), new Point(3, 4)));
    Object result = ClientResponses.read(bytes(buffer), 9, new TypeRef<List<Point>>() {}.type());
    assertEquals(List.of(new Point(1, 2), new Point(3, 4)), result);
  }

  @Test
  void clientReadsTheServersErrorAsRemoteException() {
    ResponseBuffer buffer = new ResponseBuffer(64);
    ServerResponseWriter.writeError(buffer, RequestId.ofNumberText("9"),
        new RemoteException(4001, "nope", Json.MAPPER.createObjectNode().put("why", "test")));
    RemoteException e = assertThrows(RemoteException.class, () -> ClientResponses.read(bytes(buffer), 9, int.class));
    assertEquals(4001, e.code());
    assertEquals("test", e.data().get("why").asText());
  }

  @Test
  void clientMatchesTheServersBatchAnswersById() throws IOException {
    ResponseBuffer buffer = new ResponseBuffer(64);
    ServerResponseWriter.startBatch(buffer);
    ServerResponseWriter.writeResult(buffer, RequestId.ofNumberText("2"), "two");
    ServerResponseWriter.separator(buffer);
    ServerResponseWriter.writeResult(buffer, RequestId.ofNumberText("1"), 1);
    ServerResponseWriter.endBatch(buffer);
    Map<Long, java.lang.reflect.Type> types = Map.of(1L, Integer.class, 2L, String.class);
    ClientBatchResponse answer = ClientResponses.readBatch(bytes(buffer), types::get);
    assertEquals(1, answer.outcome(1).result());
    assertEquals("two", answer.outcome(2).result());
    assertFalse(answer.outcome(2).problem() != null);
  }

  @Test
  void bigDecimalAndBigIntegerTravelExactlyBothWays() throws IOException {
    BigDecimal decimal = new BigDecimal("0.1000000000000000000001");
    BigInteger integer = new BigInteger("-98765432109876543210987654321");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ClientRequests.write(out, ClientRequest.call(1, "echo", List.of(decimal, integer)));
    ServerRequest request = (ServerRequest) sendToServer(out).messages().get(0);
    ParamsArguments args = ParamsArguments.of(request.params(),
        new dev.parley.FunctionDescriptor("echo", List.of("d", "i"), false));
    BigDecimal receivedDecimal = args.get(0, "d", BigDecimal.class);
    BigInteger receivedInteger = args.get(1, "i", BigInteger.class);
    assertEquals(decimal, receivedDecimal);
    assertEquals(integer, receivedInteger);

    ResponseBuffer buffer = new ResponseBuffer(64);
    ServerResponseWriter.writeResult(buffer, RequestId.ofNumberText("1"), List.of(receivedDecimal, new BigDecimal("2.500")));
    Object result = ClientResponses.read(bytes(buffer), 1, new TypeRef<List<BigDecimal>>() {}.type());
    assertEquals(List.of(decimal, new BigDecimal("2.500")), result);
  }
}
