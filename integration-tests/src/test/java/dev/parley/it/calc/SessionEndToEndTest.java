package dev.parley.it.calc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.client.ClientModule;
import dev.parley.testing.ParleyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Session state on a plain module, kept by the client's Parley-Session header. */
class SessionEndToEndTest {
  @RegisterExtension
  static final ParleyServer server = ParleyServer.builder().module(new CalculatorImpl().module()).build();

  @Test
  void sessionStateIsKeptAcrossCalls(CalculatorClient calc) {
    assertEquals(1, calc.countCalls());
    assertEquals(2, calc.countCalls());
    assertEquals(3, calc.countCallsAsync().join());
  }

  @Test
  void clientLearnsItsSessionIdFromTheServer(ClientModule module) {
    assertTrue(module.sessionId().isEmpty());
    new CalculatorClient(module).countCalls();
    assertTrue(module.sessionId().isPresent());
  }

  @Test
  void twoClientModulesHaveSeparateSessions() {
    ClientModule first = server.client();
    ClientModule second = server.client();
    new CalculatorClient(first).countCalls();
    new CalculatorClient(first).countCalls();
    assertEquals(1, new CalculatorClient(second).countCalls());
    assertNotEquals(first.sessionId(), second.sessionId());
  }
}
