package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a module logs about failing functions and refused frames (slf4j-simple, this module's test
 * provider, writes to System.err at INFO and above): enough to find the call, never a secret or
 * frame bytes.
 */
class ServerLogTest {
  private static final String ROUTE = "/secure";

  private PrintStream originalErr;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  @BeforeEach
  void captureStandardError() {
    originalErr = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreStandardError() {
    System.setErr(originalErr);
  }

  private String log() {
    System.err.flush();
    return captured.toString(StandardCharsets.UTF_8);
  }

  private static HandWrittenFunctions functions() {
    return new HandWrittenFunctions("test.Boom")
        .fn("boom", List.of(), (a, s) -> {
          throw new IllegalStateException("the disk is full");
        })
        .add();
  }

  @Test
  void failingFunctionIsLoggedWithModuleFunctionAndCallId() {
    try (ServerHarness harness = new ServerHarness(ServerModule.builder("/plain").functions(functions()).build())) {
      ServerHarness.Answer answer = harness.post("{\"jsonrpc\":\"2.0\",\"method\":\"boom\",\"id\":7}");
      assertEquals(-32000, answer.json().get("error").get("code").asInt());
    }
    String log = log();
    assertTrue(log.contains("WARN dev.parley.server.PlainDispatcher - function boom of module /plain failed"
        + " (call id 7); answered -32000"), log);
    assertTrue(log.contains("java.lang.IllegalStateException: the disk is full"), log);
  }

  @Test
  void failingFunctionWithAStringIdIsLoggedWithThatIdMadePrintable() {
    try (ServerHarness harness = new ServerHarness(ServerModule.builder("/plain").functions(functions()).build())) {
      harness.post("{\"jsonrpc\":\"2.0\",\"method\":\"boom\",\"id\":\"a\\n-7\"}");
    }
    assertTrue(log().contains("function boom of module /plain failed (call id \"a?-7\"); answered -32000"), log());
  }

  @Test
  void tamperedFrameIsLoggedAtInfoWithTheReasonButNoSessionIdOrBytes() {
    try (ServerHarness harness = new ServerHarness(ServerModule.builder(ROUTE).functions(functions())
        .secureKey(SecureTestClient.KEY_HEX).ticker(new FakeTicker()).build())) {
      SecureTestClient client = SecureTestClient.connect(harness, ROUTE);
      SecureTestClient.Call call = client.seal("{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":[1,2],\"id\":1}", false);
      byte[] tampered = call.tamperedFrame();
      assertEquals(400, client.send(tampered, client.sid()).status());
      assertEquals(400, client.send(tampered, client.sid()).status());   // within the minute: counted, not logged

      String log = log();
      assertTrue(log.contains("INFO dev.parley.server.ServerModule - /secure: a sealed frame was refused"
          + " (authentication); more of these are counted and logged at most once a minute"), log);
      assertEquals(1, log.split("sealed frame was refused", -1).length - 1, log);
      assertFalse(log.contains(client.sid()), log);
      String frameStart = Base64.getEncoder().encodeToString(Arrays.copyOf(tampered, 24));
      assertFalse(log.contains(frameStart), log);
    }
  }
}
