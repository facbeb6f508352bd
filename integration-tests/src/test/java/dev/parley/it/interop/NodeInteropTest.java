package dev.parley.it.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.RpcServer;
import dev.parley.server.ServerModule;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two independent JSON-RPC 2.0 clients from the npm registry (jayson and json-rpc-2.0, installed
 * by the build with {@code npm ci}) call a plain Parley module served by a real Jetty: named and
 * positional params, notifications, batches and errors. The Node script asserts each answer; this
 * test asserts the script's checks all passed and the server-side effect of the notifications.
 */
class NodeInteropTest {
  private static final Path NODE_DIR = Path.of("src/test/node");
  private static final List<String> EXPECTED_CHECKS = List.of(
      "jayson named params",
      "jayson positional params",
      "jayson string result",
      "jayson notification",
      "jayson batch",
      "jayson all-notification batch",
      "jayson application error",
      "jayson method not found",
      "jayson invalid params",
      "jayson strict numbers",
      "jayson rest parameter",
      "jayson function exception",
      "json-rpc-2.0 named params",
      "json-rpc-2.0 positional params",
      "json-rpc-2.0 notification",
      "json-rpc-2.0 batch",
      "json-rpc-2.0 application error",
      "json-rpc-2.0 method not found",
      "json-rpc-2.0 invalid params");

  private static final InteropServiceImpl service = new InteropServiceImpl();
  private static RpcServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = RpcServer.builder()
        .host("127.0.0.1")
        .port(0)
        .module(ServerModule.builder("/interop")
            .functions(new InteropServiceFunctions(service))
            .build())
        .build();
    server.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void thirdPartyJsonRpcClientsCallAPlainModule() throws Exception {
    assertTrue(Files.isDirectory(NODE_DIR.resolve("node_modules/jayson")),
        "node_modules missing: the build runs 'npm ci' in " + NODE_DIR + " before the tests");
    Process node = new ProcessBuilder("node", "interop.mjs", server.uri() + "/interop")
        .directory(NODE_DIR.toFile())
        .redirectErrorStream(true)
        .start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        lines.add(line);
      }
    }
    // A bound on a hung child process, not a timing assertion.
    assertTrue(node.waitFor(2, TimeUnit.MINUTES), "node did not finish");
    String transcript = String.join("\n", lines);
    assertEquals(0, node.exitValue(), transcript);

    List<String> passed = lines.stream()
        .filter(l -> l.startsWith("ok "))
        .map(l -> l.substring(3))
        .collect(Collectors.toList());
    assertEquals(EXPECTED_CHECKS, passed, transcript);

    // Every notification ran exactly once on the server (values 7, 8, 1, 2, 9, 10 in some order).
    assertEquals(List.of(1, 2, 7, 8, 9, 10),
        service.hellos.stream().sorted().collect(Collectors.toList()), transcript);
    assertTrue(transcript.contains("summary {\"notificationsSent\":6,\"failures\":0}"), transcript);
  }
}
