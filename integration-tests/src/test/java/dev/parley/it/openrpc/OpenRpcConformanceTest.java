package dev.parley.it.openrpc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.it.NodeScript;
import dev.parley.it.interop.InteropServiceFunctions;
import dev.parley.it.interop.InteropServiceImpl;
import dev.parley.it.typed.BankFunctions;
import dev.parley.it.typed.BankImpl;
import dev.parley.server.ServerModule;
import dev.parley.testing.ParleyServer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The OpenRPC document a module answers to {@code rpc.discover} is checked by validators from the
 * npm registry (installed by the build with {@code npm ci}): against the OpenRPC meta-schema with
 * {@code @open-rpc/schema-utils-js} and with Ajv and {@code @open-rpc/meta-schema}, against the
 * specification's rules a schema cannot express (required params first, unique names, references
 * that resolve), and every answer of every function against the schema the document gives for it.
 */
class OpenRpcConformanceTest {
  @RegisterExtension
  static final ParleyServer server = ParleyServer.builder()
      .module(ServerModule.builder("/catalog")
          .functions(new CatalogFunctions(new CatalogImpl()), new BankFunctions(new BankImpl()),
              new InteropServiceFunctions(new InteropServiceImpl()))
          .apiTitle("Parley conformance catalog")
          .apiVersion("3.1.4")
          .apiDescription("Every kind of value the processor describes."))
      .build();

  @Test
  void documentConformsToOpenRpcAndEveryAnswerToTheDocument() throws Exception {
    NodeScript.Run node = NodeScript.run("@open-rpc/schema-utils-js", "openrpc.mjs", server.url("/catalog"));   // exit 0
    List<String> lines = node.lines();
    String transcript = node.transcript();
    System.out.println(transcript);   // in the test's output file: which checks ran
    assertTrue(lines.contains("ok meta-schema (schema-utils-js)"), transcript);
    assertTrue(lines.contains("ok meta-schema (ajv, @open-rpc/meta-schema)"), transcript);
    assertTrue(lines.contains("ok info is the module's"), transcript);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("summary ") && l.contains("\"failures\":0")), transcript);
  }
}
