package dev.parley.it.node;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@link LedgerNode} in a JVM of its own, started from the test's class path. */
final class NodeProcess implements AutoCloseable {
  private final Process process;
  final int port;
  final String name;

  private NodeProcess(Process process, int port, String name) {
    this.process = process;
    this.port = port;
    this.name = name;
  }

  /** Starts a node on {@code port} (0: a free one) and returns once it serves. */
  static NodeProcess start(int port, Path ledger, Path key, String name, long drainMillis) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", classPath, LedgerNode.class.getName(),
        String.valueOf(port), ledger.toString(), key.toString(), name, String.valueOf(drainMillis)));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith("READY ")) {
        int bound = Integer.parseInt(line.substring(6).trim());
        Thread drainer = new Thread(() -> out.lines().forEach(l -> { }), "node-" + name + "-output");
        drainer.setDaemon(true);
        drainer.start();
        return new NodeProcess(process, bound, name);
      }
      seen.append(line).append('\n');
    }
    throw new IOException("node " + name + " exited before it served:\n" + seen);
  }

  /** SIGKILL, and waits until the process is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM (a graceful stop), and waits until the process is gone. */
  void stopGracefully() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("node " + name + " did not stop within 60 s of SIGTERM");
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
