package dev.parley.it.openrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.it.interop.InteropServiceFunctions;
import dev.parley.it.interop.InteropServiceImpl;
import dev.parley.it.typed.BankFunctions;
import dev.parley.it.typed.BankImpl;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenRPC document a module answers to {@code rpc.discover} is checked by validators from the
 * npm registry (installed by the build with {@code npm ci}): against the OpenRPC meta-schema with
 * {@code @open-rpc/schema-utils-js} and with Ajv and {@code @open-rpc/meta-schema}, against the
 * specification's rules a schema cannot express (required params first, unique names, references
 * that resolve), and every answer of every function against the schema the document gives for it.
 */
class OpenRpcConformanceTest {
  private static final Path NODE_DIR = Path.of("src/test/node");
  private static RpcServer server;

  @BeforeAll
  static void startServer() {
    server = RpcServer.builder()
        .host("127.0.0.1")
        .port(0)
        .module(ServerModule.builder("/catalog")
            .functions(new CatalogFunctions(new CatalogImpl()), new BankFunctions(new BankImpl()),
                new InteropServiceFunctions(new InteropServiceImpl()))
            .apiTitle("Parley conformance catalog")
            .apiVersion("3.1.4")
            .apiDescription("Every kind of value the processor describes.")
            .build())
        .build()
        .start();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void documentConformsToOpenRpcAndEveryAnswerToTheDocument() throws Exception {
    assertTrue(Files.isDirectory(NODE_DIR.resolve("node_modules/@open-rpc/schema-utils-js")),
        "node_modules missing: the build runs 'npm ci' in " + NODE_DIR + " before the tests");
    Process node = new ProcessBuilder("node", "openrpc.mjs", server.uri() + "/catalog")
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
    System.out.println(transcript);   // in the test's output file: which checks ran
    assertEquals(0, node.exitValue(), transcript);
    assertTrue(lines.contains("ok meta-schema (schema-utils-js)"), transcript);
    assertTrue(lines.contains("ok meta-schema (ajv, @open-rpc/meta-schema)"), transcript);
    assertTrue(lines.contains("ok info is the module's"), transcript);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("summary ") && l.contains("\"failures\":0")), transcript);
  }
}
