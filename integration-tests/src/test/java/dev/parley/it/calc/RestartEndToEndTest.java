package dev.parley.it.calc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.client.ClientModule;
import dev.parley.server.RpcServer;
import dev.parley.server.ServerModule;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A client module keeps working across a server restart on the same port. */
class RestartEndToEndTest {
  private static RpcServer serve(int port) {
    return RpcServer.builder()
        .host("127.0.0.1")
        .port(port)
        .module(ServerModule.builder("/calc").functions(new CalculatorFunctions(new CalculatorImpl())).build())
        .build()
        .start();
  }

  @Test
  void idempotentCallAfterARestartSucceedsOnANewConnection() {
    RpcServer first = serve(0);
    int port = first.port();
    try (ClientModule module = ClientModule.builder(first.uri() + "/calc").build()) {
      CalculatorClient calc = new CalculatorClient(module);
      assertEquals(List.of(), calc.history(5)); // leaves a keep-alive connection in the pool
      first.close();
      try (RpcServer second = serve(port)) {
        assertEquals(List.of(), calc.history(5)); // the pooled connection is dead: sent once more
        assertEquals(2, calc.add(1, 1));
      }
    }
  }
}
