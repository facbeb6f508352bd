package dev.parley.cli;

import dev.parley.server.RpcServer;
import dev.parley.server.ServerModule;
import java.nio.file.Path;

/**
 * A real Parley server on 127.0.0.1 and a free port with two modules of {@link CalculatorImpl}:
 * {@code /calc} plain and {@code /secure} encrypted under the SecureKey in {@code keyFile}.
 */
final class TestServer implements AutoCloseable {
  final CalculatorImpl plain = new CalculatorImpl();
  final CalculatorImpl secure = new CalculatorImpl();
  private final RpcServer server;

  TestServer(Path keyFile) {
    server = RpcServer.builder().host("127.0.0.1").port(0)
        .module(ServerModule.builder("/calc").functions(new CalculatorFunctions(plain)).build())
        .module(ServerModule.builder("/secure").encryptionKey(32).secureKeyFile(keyFile)
            .functions(new CalculatorFunctions(secure)).build())
        .build()
        .start();
  }

  /** The plain module's URL. */
  String plainUrl() {
    return server.uri() + "/calc";
  }

  /** The encrypted module's URL. */
  String secureUrl() {
    return server.uri() + "/secure";
  }

  @Override
  public void close() {
    server.close();
  }
}
