package dev.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code parley call} against a plain module: params, results, errors and exit statuses. */
class PlainCallIT extends ServerTests {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void callPrintsTheResultAsJsonAndExitsWith0() {
    ParleyJar.Run run = parley("call", plainUrl, "add", "a=1", "b=2");
    run.assertPrinted("3\n");
    assertEquals("", run.err());
  }

  @Test
  void callTakesParamsAsOneJsonObject() {
    ParleyJar.Run run = parley("call", plainUrl, "add", "{\"a\": 2, \"b\": 3}");
    run.assertPrinted("5\n");
  }

  @Test
  void callTakesParamsByPositionAsAJsonArray() {
    ParleyJar.Run run = parley("call", plainUrl, "add", "[4, 5]");
    run.assertPrinted("9\n");
  }

  @Test
  void callReadsTheParamsFromStandardInputForADash() {
    ParleyJar.Run run = parleyWithInput("{\"a\": 20,\n \"b\": 22}\n", "call", plainUrl, "add", "-");
    run.assertPrinted("42\n");
  }

  @Test
  void aNameValueWordSendsJsonWhenItParsesAsJsonAndTextOtherwise() {
    ParleyJar.Run text = parley("call", plainUrl, "echo", "text=hello world");
    ParleyJar.Run quoted = parley("call", plainUrl, "echo", "text=\"42\"");
    ParleyJar.Run array = parley("call", plainUrl, "sum", "numbers=[1, 2, 3]");
    assertEquals("\"hello world\"\n", text.out(), text::toString);
    assertEquals("\"42\"\n", quoted.out(), quoted::toString);
    assertEquals("6\n", array.out(), array::toString);
  }

  @Test
  void aStructuredResultIsPrintedAsIndentedJsonOrOnOneLineWithCompact() throws Exception {
    ParleyJar.Run indented = parley("call", plainUrl, "table", "n=2");
    ParleyJar.Run compact = parley("call", plainUrl, "table", "n=2", "--compact");
    assertEquals(0, indented.status(), indented::toString);
    assertEquals(JSON.readTree(indented.out()), JSON.readTree(compact.out()));
    assertEquals("[{\"expression\":\"2 x 1\",\"result\":2},{\"expression\":\"2 x 2\",\"result\":4},"
        + "{\"expression\":\"2 x 3\",\"result\":6}]\n", compact.out());
    assertTrue(indented.out().contains("\n    \"expression\": \"2 x 1\",\n"), indented::toString);
  }

  @Test
  void aRemoteErrorIsPrintedAsTheTypedErrorWithItsCodeAndExitsWith1() {
    ParleyJar.Run run = parley("call", plainUrl, "divide", "a=7", "b=0");
    assertEquals(1, run.status(), run::toString);
    assertEquals("", run.out());
    assertEquals("RemoteException 1001 (application error): division by zero\ndata: {\"dividend\":7}\n", run.err());
  }

  @Test
  void anUnknownFunctionIsTheRemoteErrorMethodNotFoundWithExit1() {
    ParleyJar.Run run = parley("call", plainUrl, "multiply", "a=1", "b=2");
    assertEquals(1, run.status(), run::toString);
    // The type is RemoteException or a subclass of it for this code.
    assertTrue(run.err().matches("(?s)\\w*Exception -32601 \\(method not found\\): .*"), run::toString);
  }

  @Test
  void malformedJsonParamsAreRefusedWithAClearMessageAndExit2AndNothingIsSent() {
    int before = plain.calls.get();
    ParleyJar.Run run = parley("call", plainUrl, "add", "{\"a\": 1, \"b\": }");
    assertEquals(2, run.status(), run::toString);
    assertTrue(run.err().startsWith("parley: malformed JSON in the params (line 1, column 15): Unexpected character"),
        run::toString);
    assertTrue(run.err().contains("Try 'parley call --help'"), run::toString);
    assertEquals(before, plain.calls.get());
  }

  @Test
  void malformedJsonOnStandardInputIsRefusedWithExit2() {
    ParleyJar.Run run = parleyWithInput("{\"a\": 1,", "call", plainUrl, "add", "-");
    run.assertFailed(2, "parley: malformed JSON in the params on standard input (line 1, column 9)");
  }

  /** Params that are neither JSON nor name=value, a missing function, an unknown option. */
  static Stream<Arguments> callsWrittenWrong() {
    return Stream.of(
        Arguments.of(List.of("add", "1", "2"), "parley: '1' is not a param: write name=value"),
        Arguments.of(List.of(), "parley: missing FUNCTION"),
        Arguments.of(List.of("add", "--secure-key", "abc"), "parley: Unknown option: '--secure-key'"));
  }

  @ParameterizedTest(name = "call URL {0}")
  @MethodSource("callsWrittenWrong")
  void aCallWrittenWrongIsAUsageErrorWithExit2(List<String> afterTheUrl, String errStart) {
    List<String> args = new ArrayList<>(List.of("call", plainUrl));
    args.addAll(afterTheUrl);
    parley(args.toArray(String[]::new)).assertFailed(2, errStart);
  }

  @Test
  void notifyRunsTheFunctionPrintsNothingAndExitsWith0() {
    ParleyJar.Run run = parley("call", plainUrl, "log", "message=notified once", "--notify");
    run.assertPrinted("");
    // The server answers a notification only after the function ran (docs/ERRORS.md, 204).
    assertTrue(plain.logged.contains("notified once"), plain.logged::toString);
  }

  @Test
  void aBatchFilePrintsEachEntrysResultOrErrorInOrderAndExitsWith1WhenOneFailed() throws Exception {
    Path batch = dir.resolve("calls.json");
    Files.writeString(batch, """
        [
          {"method": "add", "params": {"a": 1, "b": 2}},
          {"method": "divide", "params": [1, 0]},
          {"method": "log", "params": {"message": "from a batch"}, "notify": true}
        ]
        """);
    ParleyJar.Run run = parley("call", plainUrl, "--batch", "calls.json", "--compact");
    assertEquals(1, run.status(), run::toString);
    assertEquals(JSON.readTree("""
        [{"method": "add", "result": 3},
         {"method": "divide", "error": {"code": 1001, "message": "division by zero", "data": {"dividend": 1}}},
         {"method": "log", "notified": true}]
        """), JSON.readTree(run.out()));
    assertTrue(plain.logged.contains("from a batch"));
  }

  @Test
  void aBatchReadFromStandardInputWhoseCallsAllSucceedExitsWith0() throws Exception {
    ParleyJar.Run run = parleyWithInput("[{\"method\": \"add\", \"params\": [2, 2]}, {\"method\": \"echo\","
        + " \"params\": {\"text\": \"x\"}}]", "call", plainUrl, "--batch", "-");
    assertEquals(0, run.status(), run::toString);
    JsonNode answers = JSON.readTree(run.out());
    assertEquals(4, answers.get(0).get("result").asInt());
    assertEquals("x", answers.get(1).get("result").asText());
  }

  @Test
  void aBatchEntryWithoutAMethodIsAUsageErrorWithExit2() {
    int before = plain.calls.get();
    ParleyJar.Run run = parleyWithInput("[{\"params\": [2, 2]}]", "call", plainUrl, "--batch", "-");
    assertEquals(2, run.status(), run::toString);
    assertTrue(run.err().startsWith("parley: the batch on standard input, entry 1 needs a \"method\""),
        run::toString);
    assertEquals(before, plain.calls.get());
  }

  @Test
  void aCallThatOutlastsTheTimeoutFailsAsRpcTimeoutExceptionWithExit2() {
    try {
      ParleyJar.Run run = parley("call", plainUrl, "hold", "--timeout", "200ms");
      run.assertFailed(2, "RpcTimeoutException (outcome unknown): ");
    } finally {
      plain.release();
    }
  }

  @Test
  void aServerThatIsDownIsATransportFailureWithExit2() {
    String url = urlOfAServerThatIsDown();
    ParleyJar.Run run = parley("call", url, "add", "a=1", "b=2");
    run.assertFailed(2, "TransportException (not run): cannot reach " + url);
  }

  @Test
  void verboseShowsTheHttpExchangeOnStandardErrorAndLeavesTheResultAloneOnStandardOutput() {
    ParleyJar.Run run = parley("call", plainUrl, "add", "a=1", "b=2", "--verbose");
    run.assertPrinted("3\n");
    String err = run.err();
    assertTrue(err.contains("> POST /calc HTTP/1.1\n"), err);
    assertTrue(err.contains("> Content-Type: application/json\n"), err);
    assertTrue(err.contains("\"method\":\"add\",\"params\":{\"a\":1,\"b\":2}}"), err);
    assertTrue(err.contains("< HTTP/1.1 200 OK\n"), err);
    assertTrue(err.contains("\"result\":3}"), err);
  }
}
