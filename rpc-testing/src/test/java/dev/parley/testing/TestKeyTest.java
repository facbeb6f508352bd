package dev.parley.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parley.client.ClientModule;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestKeyTest {
  private final TestKey key = TestKey.random();

  @TempDir
  Path dir;

  @Test
  void hexIsSixtyFourLowercaseHexDigits() {
    assertTrue(key.hex().matches("[0-9a-f]{64}"), "not 32 bytes of lowercase hex");
  }

  @Test
  void everyRandomKeyIsANewKey() {
    assertNotEquals(key.hex(), TestKey.random().hex());
  }

  @Test
  void theSecureKeyHasKeyIdZero() {
    assertEquals(0, key.secureKey().keyId());
  }

  @Test
  void writeToWritesTheHexAndANewlineReadableByTheOwnerOnly() throws Exception {
    Path file = key.writeTo(dir.resolve("calc.key"));
    assertEquals(dir.resolve("calc.key"), file);
    assertEquals(key.hex() + "\n", Files.readString(file));
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "not POSIX");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void fileIsOneKeyFileInATemporaryFolderReadableByTheOwnerOnly() throws Exception {
    Path file = key.file();
    assertEquals(file, key.file());
    assertTrue(file.startsWith(Path.of(System.getProperty("java.io.tmpdir"))), file.toString());
    assertEquals(key.hex(), Files.readString(file).strip());
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "not POSIX");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void toStringDoesNotShowTheKey() {
    assertFalse(key.toString().contains(key.hex().substring(0, 8)), key.toString());
  }

  @Test
  void aServerWithTheKeyAndAClientWithItsFileTalk() {
    try (ParleyServer server = ParleyServer.builder().module(Modules.counter()).encrypted(key.secureKey()).build()
            .start();
        ClientModule client = ClientModule.builder(server.url(Modules.COUNTER)).secureKeyFile(key.file()).build()) {
      assertEquals(3, new CounterClient(client).add(1, 2));
    }
  }
}
