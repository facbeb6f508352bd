package dev.parley.it.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.it.NodeScript;
import dev.parley.server.ServerModule;
import dev.parley.testing.ParleyServer;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two independent JSON-RPC 2.0 clients from the npm registry (jayson and json-rpc-2.0, installed
 * by the build with {@code npm ci}) call a plain Parley module served by a real Jetty: named and
 * positional params, notifications, batches and errors. The Node script asserts each answer; this
 * test asserts the script's checks all passed and the server-side effect of the notifications.
 */
class NodeInteropTest {
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

  @RegisterExtension
  static final ParleyServer server = ParleyServer.builder()
      .module(ServerModule.builder("/interop").functions(new InteropServiceFunctions(service)))
      .build();

  @Test
  void thirdPartyJsonRpcClientsCallAPlainModule() throws Exception {
    NodeScript.Run node = NodeScript.run("jayson", "interop.mjs", server.url("/interop"));   // exit status 0
    String transcript = node.transcript();

    List<String> passed = node.lines().stream()
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
