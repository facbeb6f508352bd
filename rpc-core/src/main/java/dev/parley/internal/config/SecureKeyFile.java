package dev.parley.internal.config;

import dev.parley.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Set;

/**
 * Reads a SecureKey file ({@code secureKeyFile}): the whole file, as UTF-8, trimmed. Refuses a
 * missing, empty or oversized file and text that is not UTF-8; never echoes the contents. On POSIX
 * file systems it reports (as {@link SecretText#warning()}) a file that group or others may read.
 *
 * <pre>{@code
 * SecretText key = SecureKeyFile.read(Path.of("/etc/parley/server.key"));
 * key.warning().ifPresent(log::warn);
 * SecureKey secureKey = SecureKey.parse(key.text());
 * }</pre>
 */
public final class SecureKeyFile {
  /**
   * The largest key file read. A 1024-byte key (PROTOCOL.md §3.1's maximum) is 2048 hex
   * characters; a larger file is not a key file.
   */
  public static final int MAX_BYTES = 4096;

  private SecureKeyFile() {}

  /**
   * Reads {@code file}; errors name the setting {@code secureKeyFile} and the file.
   *
   * @throws ConfigException the file is missing, a folder, unreadable, empty, larger than
   *     {@link #MAX_BYTES} or not UTF-8
   */
  public static SecretText read(Path file) {
    return read(file, ConfigKeys.SECURE_KEY_FILE, "key file " + Shown.path(file.toAbsolutePath()));
  }

  /**
   * Reads a keystore password file given in code ({@code RpcServer.Builder.tlsKeyStorePasswordFile});
   * errors name the setting and the file, never its contents.
   *
   * @throws ConfigException as {@link #read(Path)} does
   */
  public static SecretText readPassword(Path file, String where) {
    return read(file, ConfigKeys.TLS_KEY_STORE_PASSWORD_FILE, where, "password file", "the password");
  }

  /**
   * Reads {@code file} for the setting {@code key} that came from {@code source} (for messages:
   * {@code secureKeyFile in file /etc/parley/server.yml: key file /etc/parley/k is empty}).
   */
  static SecretText read(Path file, String key, String source) {
    return read(file, key, source, "key file", "the key (hex or base64)");
  }

  /**
   * Reads a file that holds one secret, such as a keystore's password: {@code noun} names such a
   * file in messages ({@code password file}), {@code content} what it must hold ({@code the password}).
   */
  static SecretText read(Path file, String key, String source, String noun, String content) {
    Path path = file.toAbsolutePath().normalize();
    String shown = Shown.path(path);
    String prefix = key + " in " + source + ": " + noun + " " + shown;
    if (Files.isDirectory(path)) {
      throw new ConfigException(key, source, prefix + " is a folder; name the file that holds " + content, null);
    }
    if (!Files.exists(path)) {
      throw new ConfigException(key, source, prefix + " does not exist", null);
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(path)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (IOException e) {
      // An IOException's message names the file, never its contents.
      throw new ConfigException(key, source, prefix + " cannot be read (" + e + ")", e);
    }
    try {
      if (bytes.length > MAX_BYTES) {
        throw new ConfigException(key, source, prefix + " is larger than " + MAX_BYTES
            + " bytes; it must hold only " + content, null);
      }
      String text;
      try {
        text = utf8Text(bytes).strip();
      } catch (CharacterCodingException e) {
        throw new ConfigException(key, source, prefix + " is not UTF-8 text; it must hold only " + content, null);
      }
      if (text.isEmpty()) {
        throw new ConfigException(key, source, prefix + " is empty; put " + content + " in it", null);
      }
      String warning = readableByOthers(path)
          ? (noun.equals("key file") ? "secure key file " : noun + " ") + shown + " can be read by other users of"
              + " this machine; restrict it (chmod 600 " + shown + ")"
          : null;
      return new SecretText(text, key, noun + " " + shown, warning);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /**
   * The bytes of a key or config file as text: strict UTF-8 (a malformed byte is an error, never
   * U+FFFD), without a leading byte order mark.
   */
  static String utf8Text(byte[] bytes) throws CharacterCodingException {
    String text = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes))
        .toString();
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  private static boolean readableByOthers(Path path) {
    PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
    if (view == null) {
      return false; // not POSIX (Windows ACLs): nothing to say
    }
    try {
      Set<PosixFilePermission> permissions = view.readAttributes().permissions();
      return permissions.contains(PosixFilePermission.GROUP_READ)
          || permissions.contains(PosixFilePermission.OTHERS_READ);
    } catch (IOException e) {
      return false;
    }
  }
}
