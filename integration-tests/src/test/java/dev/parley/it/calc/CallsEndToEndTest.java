package dev.parley.it.calc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.RemoteException;
import dev.parley.TransportException;
import dev.parley.TypeRef;
import dev.parley.client.ClientModule;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Synchronous calls through the generated stub and the generic call path, against a real server. */
class CallsEndToEndTest {
  private static CalcServer server;
  private static ClientModule module;
  private static CalculatorClient calc;

  @BeforeAll
  static void start() {
    server = new CalcServer();
    module = server.client();
    calc = new CalculatorClient(module);
  }

  @AfterAll
  static void stop() {
    module.close();
    server.close();
  }

  @Test
  void stubCallReturnsTheResult() {
    assertEquals(5, calc.add(2, 3));
  }

  @Test
  void listOfRecordsComesBackTyped() {
    calc.add(40, 2);
    assertEquals(List.of(new Calculator.Entry("add", 40, 2, 42)), calc.history(1));
  }

  @Test
  void bytesTravelIntact() {
    byte[] data = {0, 1, 2, (byte) 0xff, 127, -128};
    assertArrayEquals(data, calc.echoBytes(data));
  }

  @Test
  void presentOptionalTravels() {
    assertEquals(Optional.of("x"), calc.echoOptional(Optional.of("x")));
  }

  @Test
  void emptyOptionalTravels() {
    assertEquals(Optional.empty(), calc.echoOptional(Optional.empty()));
  }

  @Test
  void enumTravelsByName() {
    assertEquals(Calculator.Unit.KILOGRAM, calc.echoUnit(Calculator.Unit.KILOGRAM));
  }

  @Test
  void mapOfListsTravels() {
    Map<String, List<Integer>> value = Map.of("primes", List.of(2, 3, 5), "none", List.of());
    assertEquals(value, calc.echoMap(value));
  }

  @Test
  void voidFunctionReturnsNormally() throws Exception {
    calc.log("sync log");
    assertEquals("sync log", server.service.logged.take());
  }

  @Test
  void applicationErrorArrivesWithCodeMessageAndData() {
    RemoteException e = assertThrows(RemoteException.class, () -> calc.divide(7, 0));
    assertEquals(Calculator.DIVISION_BY_ZERO, e.code());
    assertEquals("division by zero", e.getMessage());
    assertEquals(7, e.data().get("dividend").asInt());
  }

  @Test
  void exceptionInAFunctionArrivesAsServerErrorWithoutItsMessage() {
    RemoteException e = assertThrows(RemoteException.class, () -> calc.fail("out of paper"));
    assertEquals(RemoteException.SERVER_ERROR, e.code());
    assertEquals("Server error", e.getMessage());
  }

  @Test
  void genericCallWithNamedParamsReturnsTheResult() {
    assertEquals(9, module.call("add", Map.of("a", 4, "b", 5), Integer.class));
  }

  @Test
  void genericCallWithPositionalParamsReturnsTheResult() {
    assertEquals(3, module.call("divide", List.of(9, 3), Integer.class));
  }

  @Test
  void genericCallDecodesAGenericResult() {
    module.call("add", Map.of("a", 1, "b", 1), Integer.class);
    List<Calculator.Entry> entries = module.call("history", Map.of("limit", 1), new TypeRef<List<Calculator.Entry>>() {});
    assertEquals(1, entries.size());
  }

  @Test
  void unknownFunctionIsMethodNotFound() {
    RemoteException e = assertThrows(RemoteException.class, () -> module.call("nope", null, Integer.class));
    assertEquals(RemoteException.METHOD_NOT_FOUND, e.code());
  }

  @Test
  void wrongParamTypeIsInvalidParams() {
    RemoteException e = assertThrows(RemoteException.class,
        () -> module.call("add", Map.of("a", "one", "b", 2), Integer.class));
    assertEquals(RemoteException.INVALID_PARAMS, e.code());
  }

  @Test
  void notificationRunsTheFunctionAndReturnsNothing() throws Exception {
    module.notify("log", Map.of("message", "notified"));
    assertEquals("notified", server.service.logged.take());
  }

  @Test
  void moduleThatDoesNotExistIsTransportExceptionWithStatus() {
    try (ClientModule missing = ClientModule.builder(server.server.uri() + "/nothing-here").build()) {
      TransportException e = assertThrows(TransportException.class, () -> missing.call("add", null, Integer.class));
      assertEquals(404, e.httpStatus());
    }
  }

  @Test
  void discoverReturnsTheModulesOpenRpcDocument() {
    JsonNode document = module.call("rpc.discover", null, JsonNode.class);
    List<String> names = new java.util.ArrayList<>();
    document.get("methods").forEach(method -> names.add(method.get("name").asText()));
    assertTrue(names.contains("add"), names.toString());
  }

  @Test
  void voidResultThroughTheGenericPathIsNull() {
    assertNull(module.call("log", Map.of("message", "generic"), void.class, false));
  }
}
