package dev.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code parley describe}: the functions of a module from rpc.discover. */
class DescribeIT extends ServerTests {
  @Test
  void describePrintsTheFunctionsAndTheirParameterSchemasAsATable() {
    ParleyJar.Run run = parley("describe", plainUrl);
    assertEquals(0, run.status(), run::toString);
    List<String> lines = run.out().lines().toList();
    assertEquals("Parley module /calc 1.0.0: 7 functions", lines.get(0), run::toString);
    assertTrue(lines.get(2).matches("FUNCTION +PARAMETERS +RESULT +IDEMPOTENT +DESCRIPTION"), run::toString);
    assertTrue(lines.get(3).matches("add +a: int32, b: int32 +int32 +no +Adds two numbers\\."), run::toString);
    assertTrue(lines.get(4).matches("divide +a: int32, b: int32 +int32 +no +Integer division; a zero divisor is"
        + " answered with error DIVISION_BY_ZERO\\."), run::toString);
    // Reference types may be null in the OpenRPC document (docs/CODEGEN.md), and the table says so.
    assertTrue(lines.stream().anyMatch(l -> l.matches("sum +numbers: array<int32 \\| null> \\| null +int64 +no .*")),
        run::toString);
    assertTrue(lines.stream().anyMatch(l -> l.matches(
        "table +n: int32 +array<Calculator\\.Entry \\| null> \\| null +yes .*")), run::toString);
    assertTrue(lines.stream().anyMatch(l -> l.matches("log +message: string \\| null +null +no .*")), run::toString);
    assertTrue(run.out().contains("\nTypes:\n  Calculator.Entry = {expression: string | null, result: int64}\n"),
        run::toString);
  }

  @Test
  void describeJsonPrintsTheOpenRpcDocument() throws Exception {
    ParleyJar.Run run = parley("describe", plainUrl, "--json");
    assertEquals(0, run.status(), run::toString);
    JsonNode document = new ObjectMapper().readTree(run.out());
    List<String> names = new ArrayList<>();
    document.get("methods").forEach(m -> names.add(m.get("name").asText()));
    assertEquals(List.of("add", "divide", "echo", "sum", "table", "log", "hold"), names);
    assertEquals("a", document.get("methods").get(0).get("params").get(0).get("name").asText());
  }

  @Test
  void describeReachesAnEncryptedModuleWithAKeyFile() {
    ParleyJar.Run run = parley("describe", secureUrl, "--secure-key-file", "calc.key");
    assertEquals(0, run.status(), run::toString);
    assertTrue(run.out().startsWith("Parley module /secure "), run::toString);
  }

  @Test
  void describeOfAServerThatIsDownIsATransportFailureWithExit2() {
    ParleyJar.Run run = parley("describe", urlOfAServerThatIsDown());
    run.assertFailed(2, "TransportException (not run): cannot reach ");
  }

  @Test
  void describeWithoutAUrlIsAUsageErrorWithExit2() {
    ParleyJar.Run run = parley("describe");
    run.assertFailed(2, "parley: missing URL");
  }
}
