package dev.parley.it.calc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.testing.ParleyServer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A client module keeps working across a server restart on the same port. */
class RestartEndToEndTest {
  @RegisterExtension
  static final ParleyServer server = ParleyServer.builder().module(new CalculatorImpl().module()).build();

  @Test
  void idempotentCallAfterARestartSucceedsOnANewConnection(CalculatorClient calc) {
    assertEquals(List.of(), calc.history(5)); // leaves a keep-alive connection in the pool
    server.stop();
    server.start();                           // the same port, a new server and module
    assertEquals(List.of(), calc.history(5)); // the pooled connection is dead: sent once more
    assertEquals(2, calc.add(1, 1));
  }
}
