package dev.parley.testing;

import dev.parley.crypto.SecureKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A fresh random SecureKey for a test, in the forms a test needs: a {@link SecureKey}, its hex text
 * and a key file readable by its owner only. Each {@link #random()} is a new key, so tests never
 * share a key with each other or with a real deployment.
 *
 * <pre>{@code
 * TestKey key = TestKey.random();
 * ServerModule calc = ServerModule.builder("/calc").secureKey(key.secureKey()).functions(...).build();
 * ClientModule client = ClientModule.builder(url).secureKeyFile(key.file()).build();
 * assertFalse(log.contains(key.hex()));          // the key never reaches the log
 * }</pre>
 *
 * <p>{@link #toString()} never shows the key.
 */
public final class TestKey {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** The length of a generated key: the least a SecureKey may be (PROTOCOL.md §3.1). */
  private static final int BYTES = SecureKey.MIN_KEY_BYTES;

  private final String hex;
  private Path file;   // guarded by this

  private TestKey(String hex) {
    this.hex = hex;
  }

  /** A new key of 32 random bytes from {@link SecureRandom}. */
  public static TestKey random() {
    byte[] bytes = new byte[BYTES];
    RANDOM.nextBytes(bytes);
    return new TestKey(HexFormat.of().formatHex(bytes));
  }

  /** The key as 64 lowercase hex digits, the text a key file or a config holds. */
  public String hex() {
    return hex;
  }

  /** The key as a {@link SecureKey} with key id 0 (another id: {@code secureKey().withKeyId(1)}). */
  public SecureKey secureKey() {
    return SecureKey.parse(hex);
  }

  /**
   * Writes the key (its hex and a newline, as {@code openssl rand -hex 32 > file} would) to
   * {@code file}, replacing it, readable and writable by its owner only ({@code rw-------}) where
   * the file system has POSIX permissions.
   *
   * @return {@code file}
   * @throws UncheckedIOException the file cannot be written
   */
  public Path writeTo(Path file) {
    Objects.requireNonNull(file, "file == null");
    try {
      Files.writeString(file, hex + "\n", StandardCharsets.US_ASCII);
      if (Files.getFileAttributeView(file, PosixFileAttributeView.class) != null) {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the test key to " + file, e);
    }
  }

  /**
   * A key file holding this key, written by {@link #writeTo(Path)} into a new temporary folder on
   * the first call (both are deleted when the JVM exits); later calls return the same file.
   *
   * @throws UncheckedIOException the folder or the file cannot be created
   */
  public synchronized Path file() {
    if (file == null) {
      try {
        Path dir = Files.createTempDirectory("parley-test-key");
        dir.toFile().deleteOnExit();
        Path written = writeTo(dir.resolve("secure.key"));
        written.toFile().deleteOnExit();   // registered last, so deleted before its folder
        file = written;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a folder for the test key", e);
      }
    }
    return file;
  }

  /** {@code TestKey[…]}: never the key. */
  @Override
  public String toString() {
    return "TestKey[…]";
  }
}
