package dev.parley.it.calc;

import dev.parley.client.ClientModule;
import dev.parley.server.RpcServer;
import dev.parley.server.ServerModule;

/** A real Parley server on 127.0.0.1, port 0, serving one {@link CalculatorImpl} at /calc. */
final class CalcServer implements AutoCloseable {
  final CalculatorImpl service = new CalculatorImpl();
  final RpcServer server;

  CalcServer() {
    server = RpcServer.builder()
        .host("127.0.0.1")
        .port(0)
        .module(ServerModule.builder("/calc").functions(new CalculatorFunctions(service)).build())
        .build()
        .start();
  }

  /** The module's URL. */
  String url() {
    return server.uri() + "/calc";
  }

  /** A new client module for /calc with default settings. */
  ClientModule client() {
    return ClientModule.builder(url()).build();
  }

  @Override
  public void close() {
    service.release.countDown();
    server.close();
  }
}
