package dev.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the built {@code parley.jar} as a process, the way a user does: {@code java -jar parley.jar
 * ARGS}, in a working folder, with optional standard input, and keeps its exit status and output.
 * The jar's path comes from the system property {@code parley.jar} (set by failsafe).
 */
final class ParleyJar {
  /** A run's exit status, standard output and standard error. */
  record Run(int status, String out, String err) {
    @Override
    public String toString() {
      return "exit status " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }

    /** Asserts the run exited with 0 and printed exactly {@code stdout} on standard output. */
    void assertPrinted(String stdout) {
      assertEquals(0, status, this::toString);
      assertEquals(stdout, out, this::toString);
    }

    /** Asserts the run exited with {@code expected} and its standard error starts with {@code errStart}. */
    void assertFailed(int expected, String errStart) {
      assertEquals(expected, status, this::toString);
      assertTrue(err.startsWith(errStart), this::toString);
    }
  }

  private ParleyJar() {}

  /** The built jar. */
  static Path jar() {
    String path = System.getProperty("parley.jar");
    if (path == null) {
      fail("system property parley.jar is not set: run the tests with Maven (mvn verify), which builds the jar first");
    }
    return Path.of(path);
  }

  /** Runs {@code parley ARGS} in {@code dir} with no standard input. */
  static Run run(Path dir, String... args) {
    return runWithInput(dir, null, args);
  }

  /** Runs {@code parley ARGS} in {@code dir}, {@code stdin} (may be null) written to its standard input. */
  static Run runWithInput(Path dir, String stdin, String... args) {
    return runJar(jar(), dir, stdin, args);
  }

  /** Runs {@code java -jar jar ARGS} in {@code dir}. */
  static Run runJar(Path jar, Path dir, String stdin, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Short-lived JVMs start faster this way; it changes nothing the tests look at.
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(Arrays.asList(args));
    try {
      Path out = Files.createTempFile("parley-out", ".txt");
      Path err = Files.createTempFile("parley-err", ".txt");
      try {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
            .redirectOutput(out.toFile()).redirectError(err.toFile());
        // The config tests must not see the build machine's PARLEY_* settings.
        builder.environment().keySet().removeIf(name -> name.startsWith("PARLEY_"));
        Process process = builder.start();
        try (OutputStream in = process.getOutputStream()) {
          if (stdin != null) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
          }
        }
        // A guard against a hung process, not a measurement: a run takes about a second.
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
          process.destroyForcibly();
          fail("parley " + String.join(" ", args) + " did not finish");
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
