package dev.parley.it.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.client.ClientModule;
import dev.parley.client.WrongSecureKeyException;
import dev.parley.crypto.SecureKey;
import dev.parley.server.ServerModule;
import dev.parley.testing.ParleyServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Parley logs (slf4j-simple writes to System.err) while modules are configured, handshake,
 * fail and recover never contains a SecureKey; the unauthenticated mode logs its warning.
 */
class SecretsInLogsTest {
  @TempDir
  Path dir;

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

  @Test
  void configuringCallingAndFailingLogsNoSecureKey() throws Exception {
    Path key = dir.resolve("calc.key");
    Files.writeString(key, Keys.A + "\n");
    try {
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--")); // warned about
    } catch (UnsupportedOperationException e) {
      // not POSIX
    }
    Path server = dir.resolve("server.yml");
    Files.writeString(server, "path: /calc\nencryptionKey: 32\nsecureKeyFile: calc.key\n");
    try (ParleyServer rpc = ParleyServer.builder()
            .module(ServerModule.fromConfig(server, Map.of()).functions(new CalculatorFunctions(new CountingCalculator())))
            .build().start();
        ClientModule right = ClientModule.builder(rpc.url("/calc")).encryptionKey(32)
            .secureKey(Keys.A).build();
        ClientModule wrong = ClientModule.builder(rpc.url("/calc")).encryptionKey(32)
            .secureKey(Keys.B).build()) {
      assertEquals(3, new CalculatorClient(right).add(1, 2));
      assertThrows(WrongSecureKeyException.class, () -> new CalculatorClient(wrong).add(1, 2));
      assertThrows(IllegalArgumentException.class, () -> ClientModule.builder(rpc.url("/calc"))
          .encryptionKey(32).secureKey(Keys.A.substring(0, 40)).build());
    }

    String log = log().toLowerCase(Locale.ROOT);
    for (String secret : new String[] {Keys.A, Keys.B, Keys.A.substring(0, 40), Keys.B.substring(0, 40)}) {
      assertFalse(log.contains(secret), "a SecureKey reached the log:\n" + log);
    }
  }

  @Test
  void unauthenticatedEncryptionLogsItsWarning() {
    try (ParleyServer rpc = ParleyServer.builder()
            .module(ServerModule.builder("/calc").encryptionKey(32).allowUnauthenticated(true)
                .functions(new CalculatorFunctions(new CountingCalculator())))
            .build().start();
        ClientModule client = ClientModule.builder(rpc.url("/calc")).encryptionKey(32)
            .allowUnauthenticated(true).build()) {
      assertEquals(3, new CalculatorClient(client).add(1, 2));
    }

    assertTrue(log().contains(SecureKey.UNAUTHENTICATED_WARNING), "no warning in:\n" + log());
  }
}
