package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Node script of {@code src/test/node} whose npm packages the build installed with
 * {@code npm ci}, checks that it succeeded, and returns what it printed.
 *
 * <pre>{@code
 * NodeScript.Run run = NodeScript.run("jayson", "interop.mjs", server.url("/interop"));
 * assertTrue(run.lines().contains("ok jayson batch"), run.transcript());
 * }</pre>
 */
public final class NodeScript {
  private static final Path DIR = Path.of("src/test/node");

  /** What the script printed: standard output and error, line by line. */
  public record Run(List<String> lines) {
    /** Every line, for assertion messages. */
    public String transcript() {
      return String.join("\n", lines);
    }
  }

  private NodeScript() {}

  /**
   * Runs {@code node <script> <args>} in {@code src/test/node}, after checking that
   * {@code requiredPackage} is installed there, and checks that it finished with exit status 0.
   */
  public static Run run(String requiredPackage, String script, String... args) throws IOException, InterruptedException {
    assertTrue(Files.isDirectory(DIR.resolve("node_modules").resolve(requiredPackage)),
        "node_modules missing: the build runs 'npm ci' in " + DIR + " before the tests");
    List<String> command = new ArrayList<>(List.of("node", script));
    command.addAll(List.of(args));
    Process node = new ProcessBuilder(command)
        .directory(DIR.toFile())
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
    Run run = new Run(List.copyOf(lines));
    assertEquals(0, node.exitValue(), run.transcript());
    return run;
  }
}
