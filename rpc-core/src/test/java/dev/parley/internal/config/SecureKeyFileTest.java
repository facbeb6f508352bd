package dev.parley.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parley.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecureKeyFileTest {
  private static final String SECRET = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  @TempDir Path dir;

  @Test
  void readsTheTrimmedKey() throws IOException {
    Path file = Files.writeString(dir.resolve("server.key"), "\uFEFF  " + SECRET + "\r\n");
    assertEquals(SECRET, SecureKeyFile.read(file).text());
  }

  @Test
  void emptyFileIsRejected() throws IOException {
    Path file = Files.writeString(dir.resolve("server.key"), " \n\t\n");
    ConfigException e = assertThrows(ConfigException.class, () -> SecureKeyFile.read(file));
    assertEquals("secureKeyFile in key file " + file + ": key file " + file
        + " is empty; put the key (hex or base64) in it", e.getMessage());
  }

  @Test
  void oversizedFileIsRejectedWithoutEchoingIt() throws IOException {
    Path file = Files.writeString(dir.resolve("server.key"), SECRET.repeat(65));
    ConfigException e = assertThrows(ConfigException.class, () -> SecureKeyFile.read(file));
    assertEquals("secureKeyFile in key file " + file + ": key file " + file
        + " is larger than 4096 bytes; it must hold only the key (hex or base64)", e.getMessage());
    assertFalse(e.getMessage().contains(SECRET));
  }

  @Test
  void fileOfExactlyTheLimitIsRead() throws IOException {
    Path file = Files.writeString(dir.resolve("server.key"), "a".repeat(SecureKeyFile.MAX_BYTES));
    assertEquals(SecureKeyFile.MAX_BYTES, SecureKeyFile.read(file).text().length());
  }

  @Test
  void nonUtf8FileIsRejectedWithoutEchoingIt() throws IOException {
    Path file = Files.write(dir.resolve("server.key"), new byte[] {'a', 'b', (byte) 0xff, 'c'});
    ConfigException e = assertThrows(ConfigException.class, () -> SecureKeyFile.read(file));
    assertEquals("secureKeyFile in key file " + file + ": key file " + file
        + " is not UTF-8 text; it must hold only the key (hex or base64)", e.getMessage());
  }

  @Test
  void folderIsRejected() {
    ConfigException e = assertThrows(ConfigException.class, () -> SecureKeyFile.read(dir));
    assertTrue(e.getMessage().endsWith(" is a folder; name the file that holds the key (hex or base64)"), e.getMessage());
  }

  @Test
  void keyPastedAsTheFileNameIsNotEchoed() {
    ConfigException e = assertThrows(ConfigException.class, () -> SecureKeyFile.read(dir.resolve(SECRET)));
    assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    assertTrue(e.getMessage().endsWith("(a 64-character name that looks like a key, not shown) does not exist"),
        e.getMessage());
  }

  @Test
  void fileReadableByOthersGivesAWarning() throws IOException {
    Path file = Files.writeString(dir.resolve("server.key"), SECRET);
    assumeTrue(Files.getFileAttributeView(file, PosixFileAttributeView.class) != null, "POSIX only");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    SecretText key = SecureKeyFile.read(file);
    assertEquals(Optional.of("secure key file " + file + " can be read by other users of this machine;"
        + " restrict it (chmod 600 " + file + ")"), key.warning());
  }

  @Test
  void fileReadableByOwnerOnlyGivesNoWarning() throws IOException {
    Path file = Files.writeString(dir.resolve("server.key"), SECRET);
    assumeTrue(Files.getFileAttributeView(file, PosixFileAttributeView.class) != null, "POSIX only");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    assertEquals(Optional.empty(), SecureKeyFile.read(file).warning());
  }

  @Test
  void toStringNeverShowsTheKey() throws IOException {
    Path file = Files.writeString(dir.resolve("server.key"), SECRET);
    assertFalse(SecureKeyFile.read(file).toString().contains(SECRET));
  }
}
