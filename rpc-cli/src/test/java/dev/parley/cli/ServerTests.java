package dev.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests that drive parley.jar against a {@link TestServer} for the test class. The SecureKey of
 * the encrypted module is made by {@code parley keygen} itself, so the server reading it is part of
 * what the tests show.
 */
abstract class ServerTests {
  @TempDir
  static Path dir;
  static Path keyFile;
  static TestServer server;

  @BeforeAll
  static void startServer() {
    ParleyJar.Run keygen = ParleyJar.run(dir, "keygen", "--out", "calc.key");
    assertEquals(0, keygen.status(), keygen::toString);
    keyFile = dir.resolve("calc.key");
    server = new TestServer(keyFile);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  /** A URL where nothing listens: a port the system handed out and that was closed again. */
  static String urlOfAServerThatIsDown() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + socket.getLocalPort() + "/calc";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ParleyJar.Run parley(String... args) {
    return ParleyJar.run(dir, args);
  }

  static ParleyJar.Run parleyWithInput(String stdin, String... args) {
    return ParleyJar.runWithInput(dir, stdin, args);
  }
}
