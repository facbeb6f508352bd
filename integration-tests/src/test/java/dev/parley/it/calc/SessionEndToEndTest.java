package dev.parley.it.calc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.client.ClientModule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Session state on a plain module, kept by the client's Parley-Session header. */
class SessionEndToEndTest {
  private static CalcServer server;

  @BeforeAll
  static void start() {
    server = new CalcServer();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void sessionStateIsKeptAcrossCalls() {
    try (ClientModule module = server.client()) {
      CalculatorClient calc = new CalculatorClient(module);
      assertEquals(1, calc.countCalls());
      assertEquals(2, calc.countCalls());
      assertEquals(3, calc.countCallsAsync().join());
    }
  }

  @Test
  void clientLearnsItsSessionIdFromTheServer() {
    try (ClientModule module = server.client()) {
      assertTrue(module.sessionId().isEmpty());
      new CalculatorClient(module).countCalls();
      assertTrue(module.sessionId().isPresent());
    }
  }

  @Test
  void twoClientModulesHaveSeparateSessions() {
    try (ClientModule first = server.client(); ClientModule second = server.client()) {
      new CalculatorClient(first).countCalls();
      new CalculatorClient(first).countCalls();
      assertEquals(1, new CalculatorClient(second).countCalls());
      assertNotEquals(first.sessionId(), second.sessionId());
    }
  }
}
