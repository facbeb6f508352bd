package dev.parley.it.js;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JavaScript client (clients/js) against a real Jetty server: the scenarios of
 * {@code clients/js/test/live/scenarios.mjs} run under Node's test runner and, in Debian's headless
 * Chromium, in a page of the server's origin; the browser test also drives the console page and
 * saves a screenshot to {@code target/js-artifacts/console.png}. The clients/js module builds the
 * library ({@code npm ci}, {@code npm run build}) earlier in the reactor.
 */
class JsClientTest {
  static final Path JS_DIR = Path.of("../clients/js").toAbsolutePath().normalize();
  static final Path CHROMIUM = Path.of(System.getProperty("parley.chromium", "/usr/bin/chromium"));
  private static final Pattern TESTS = Pattern.compile("^# tests (\\d+)$", Pattern.MULTILINE);
  private static final Pattern PASS = Pattern.compile("^# pass (\\d+)$", Pattern.MULTILINE);
  private static final Pattern FAIL = Pattern.compile("^# fail (\\d+)$", Pattern.MULTILINE);
  private static final Pattern SKIP = Pattern.compile("^# skipped (\\d+)$", Pattern.MULTILINE);

  private static JsTestServer server;

  @BeforeAll
  static void startServer() {
    server = new JsTestServer();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void nodeRunsEveryScenarioAgainstTheJavaServer() throws Exception {
    String transcript = runNode("test/live/node.test.mjs", Map.of());
    assertAllPassed(transcript, 0);
  }

  @Test
  void chromiumRunsEveryScenarioAndDrivesTheConsolePage() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is absent, so the browser test is skipped; .ci/run installs"
        + " Debian's chromium (apt-get install chromium) before mvn verify");
    Path artifacts = Path.of("target/js-artifacts").toAbsolutePath();
    Files.createDirectories(artifacts);
    Files.deleteIfExists(artifacts.resolve("console.png"));
    String transcript = runNode("test/live/browser.test.mjs",
        Map.of("PARLEY_CHROMIUM", CHROMIUM.toString(), "PARLEY_ARTIFACTS", artifacts.toString()));
    assertAllPassed(transcript, 0);
    assertTrue(Files.size(artifacts.resolve("console.png")) > 0, "the console screenshot was saved");
  }

  private static void assertAllPassed(String transcript, int skipped) {
    Matcher tests = TESTS.matcher(transcript);
    Matcher pass = PASS.matcher(transcript);
    Matcher fail = FAIL.matcher(transcript);
    Matcher skip = SKIP.matcher(transcript);
    assertTrue(tests.find() && pass.find() && fail.find() && skip.find(), transcript);
    assertEquals("0", fail.group(1), transcript);
    assertEquals(String.valueOf(skipped), skip.group(1), transcript);
    assertEquals(tests.group(1), pass.group(1), "every test passed (none cancelled): " + transcript);
    assertTrue(Integer.parseInt(pass.group(1)) >= 40, "the scenarios ran: " + transcript);
  }

  private static String runNode(String testFile, Map<String, String> env) throws Exception {
    assertTrue(Files.isRegularFile(JS_DIR.resolve("dist/parley.min.js")),
        "clients/js/dist is missing: the clients/js module builds it (npm ci, npm run build) before this test");
    ProcessBuilder builder = new ProcessBuilder("node", "--test", "--test-reporter=tap", testFile)
        .directory(JS_DIR.toFile())
        .redirectErrorStream(true);
    builder.environment().put("PARLEY_BASE_URL", server.baseUrl());
    builder.environment().put("PARLEY_SECURE_KEY", server.secureKey);
    builder.environment().putAll(env);
    Process node = builder.start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        lines.add(line);
      }
    }
    // A bound on a hung child process, not a timing assertion.
    assertTrue(node.waitFor(3, TimeUnit.MINUTES), "node did not finish");
    String transcript = String.join("\n", lines);
    assertEquals(0, node.exitValue(), transcript);
    return transcript;
  }
}
