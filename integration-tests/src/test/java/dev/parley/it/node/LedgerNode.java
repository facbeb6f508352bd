package dev.parley.it.node;

import dev.parley.server.RpcServer;
import dev.parley.server.ServerModule;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One server process for the multi-process tests: an encrypted {@code /ledger} module on
 * 127.0.0.1. It prints {@code READY <port>} once it serves, and stops gracefully on SIGTERM (a
 * shutdown hook runs {@link RpcServer#stop()}); SIGKILL stops it at once.
 *
 * <p>Arguments: {@code <port> <ledger file> <secure key file> <node name> <drain ms>}.
 */
public final class LedgerNode {
  private LedgerNode() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Path ledger = Path.of(args[1]);
    Path key = Path.of(args[2]);
    String name = args[3];
    Duration drain = Duration.ofMillis(Long.parseLong(args[4]));
    RpcServer server = RpcServer.builder()
        .host("127.0.0.1")
        .port(port)
        .drainTime(drain)
        .stopTimeout(Duration.ofSeconds(20))
        .module(ServerModule.builder("/ledger")
            .secureKeyFile(key)
            .functions(new LedgerFunctions(new LedgerImpl(ledger, name)))
            .build())
        .build()
        .start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "graceful-stop"));
    System.out.println("READY " + server.port());
    System.out.flush();
    server.join();
  }
}
