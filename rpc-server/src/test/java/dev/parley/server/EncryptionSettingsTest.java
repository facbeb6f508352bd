package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.Compression;
import dev.parley.ConfigException;
import dev.parley.crypto.SecureKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The encryption settings of ServerModule.Builder and ServerModule.fromConfig (no network). */
class EncryptionSettingsTest {
  private static final HandWrittenFunctions FUNCTIONS =
      new HandWrittenFunctions("test.Settings").fn("ping", List.of(), (a, s) -> "pong");

  @TempDir
  Path dir;

  private static ServerModule.Builder builder() {
    return ServerModule.builder("/calc").functions(FUNCTIONS);
  }

  @Test
  void plainByDefault() {
    ServerModule module = builder().build();
    assertEquals(0, module.encryptionKey());
    assertFalse(module.forcesEncryption());
    assertEquals(Compression.NONE, module.compression());
  }

  @Test
  void forceEncryptionWithoutEncryptionKeyFailsAndSaysWhatToSet() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> builder().forceEncryption(true).build());
    assertTrue(e.getMessage().contains("set encryptionKey to 16..64"), e.getMessage());
  }

  @Test
  void encryptionWithoutSecureKeyNeedsAllowUnauthenticated() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> builder().encryptionKey(32).build());
    assertTrue(e.getMessage().contains("allowUnauthenticated(true)"), e.getMessage());
  }

  @Test
  void unauthenticatedEncryptionBuildsWhenAllowed() {
    ServerModule module = builder().encryptionKey(32).allowUnauthenticated(true).build();
    assertEquals(32, module.encryptionKey());
    assertFalse(module.forcesEncryption());
    assertTrue(module.toString().contains("unauthenticated"), module.toString());
  }

  @Test
  void secureKeyWithEncryptionKeyZeroFails() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> builder().secureKey(SecureTestClient.KEY_HEX).encryptionKey(0).build());
    assertTrue(e.getMessage().contains("encryptionKey is 0"), e.getMessage());
  }

  @Test
  void secureKeyWithForceEncryptionFalseFails() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> builder().secureKey(SecureTestClient.KEY_HEX).forceEncryption(false).build());
    assertTrue(e.getMessage().contains("implies forceEncryption"), e.getMessage());
  }

  @Test
  void encryptionKeyOutsideItsRangeFailsAtOnce() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> builder().encryptionKey(8));
    assertTrue(e.getMessage().contains("16 to 64"), e.getMessage());
  }

  @Test
  void settingEncryptionKeyTwiceInCodeFails() {
    assertThrows(IllegalStateException.class, () -> builder().encryptionKey(32).encryptionKey(48));
  }

  @Test
  void malformedSecureKeyTextFailsWithoutShowingIt() {
    String notAKey = "abcdef0123";
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> builder().secureKey(notAKey));
    assertFalse(e.getMessage().contains(notAKey), e.getMessage());
  }

  @Test
  void secureKeyIdWithSecureKeyObjectFails() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> builder().secureKey(SecureKey.parse(SecureTestClient.KEY_HEX)).secureKeyId(2).build());
    assertTrue(e.getMessage().contains("withKeyId"), e.getMessage());
  }

  @Test
  void twoSecureKeysWithOneKeyIdFail() {
    SecureKey key = SecureKey.parse(SecureTestClient.KEY_HEX);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> builder().secureKeys(key, SecureKey.parse(SecureTestClient.OTHER_KEY_HEX)).build());
    assertTrue(e.getMessage().contains("share key id 0"), e.getMessage());
  }

  @Test
  void toStringShowsKeyIdsButNeverTheKey() {
    String text = builder().secureKey(SecureTestClient.KEY_HEX).secureKeyId(7).build().toString();
    assertTrue(text.contains("SecureKey id(s) [7]"), text);
    assertFalse(text.contains(SecureTestClient.KEY_HEX.substring(0, 16)), text);
  }

  // ------------------------------------------------------------------------------------ config

  private Path keyFile() throws IOException {
    Path key = dir.resolve("calc.key");
    Files.writeString(key, SecureTestClient.KEY_HEX + "\n");
    try {
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: no permission warning to avoid
    }
    return key;
  }

  private Path yaml(String text) throws IOException {
    Path file = dir.resolve("server.yml");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void configFileBuildsAnEncryptedModule() throws IOException {
    keyFile();
    Path file = yaml("path: /calc\nsecureKeyFile: calc.key\nsecureKeyId: 3\ncompression: fast\n"
        + "autoSessionsLive: 5m\nmaxSessions: 1_000\n");
    ServerModule module = ServerModule.fromConfig(file, Map.of()).functions(FUNCTIONS).build();
    assertEquals("/calc", module.path());
    assertEquals(32, module.encryptionKey());
    assertTrue(module.forcesEncryption());
    assertEquals(Compression.FAST, module.compression());
    assertEquals(Duration.ofMinutes(5), module.autoSessionsLive());
    assertEquals(1000, module.maxSessions());
    assertTrue(module.toString().contains("SecureKey id(s) [3]"), module.toString());
  }

  @Test
  void environmentOverridesTheFile() throws IOException {
    keyFile();
    Path file = yaml("path: /calc\nencryptionKey: 32\nsecureKeyFile: calc.key\nautoSessionsLive: 5m\n");
    ServerModule module = ServerModule.fromConfig(file,
        Map.of("PARLEY_ENCRYPTION_KEY", "48", "PARLEY_AUTO_SESSIONS_LIVE", "45s")).functions(FUNCTIONS).build();
    assertEquals(48, module.encryptionKey());
    assertEquals(Duration.ofSeconds(45), module.autoSessionsLive());
  }

  @Test
  void builderCallsAfterFromConfigReplaceFileValues() throws IOException {
    keyFile();
    Path file = yaml("path: /calc\nencryptionKey: 32\nsecureKeyFile: calc.key\nmaxSessions: 10\n");
    ServerModule module = ServerModule.fromConfig(file, Map.of()).functions(FUNCTIONS)
        .encryptionKey(16).maxSessions(20).secureKey(SecureKey.parse(SecureTestClient.OTHER_KEY_HEX)).build();
    assertEquals(16, module.encryptionKey());
    assertEquals(20, module.maxSessions());
  }

  @Test
  void malformedValueInTheFileNamesKeySourceAndForm() throws IOException {
    Path file = yaml("path: /calc\nencryptionKey: 8\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ServerModule.fromConfig(file, Map.of()));
    assertTrue(e.getMessage().contains("encryptionKey"), e.getMessage());
    assertTrue(e.getMessage().contains(file.toAbsolutePath().normalize().toString()), e.getMessage());
    assertTrue(e.getMessage().contains("16 to 64"), e.getMessage());
  }

  @Test
  void malformedSecureKeyInTheEnvironmentIsNamedButNotShown() throws IOException {
    Path file = yaml("path: /calc\n");
    String secret = "not-a-key-but-secret";
    ConfigException e = assertThrows(ConfigException.class,
        () -> ServerModule.fromConfig(file, Map.of("PARLEY_SECURE_KEY", secret)));
    assertTrue(e.getMessage().contains("PARLEY_SECURE_KEY"), e.getMessage());
    assertTrue(e.getMessage().contains("not shown"), e.getMessage());
    assertFalse(e.getMessage().contains(secret), e.getMessage());
  }

  @Test
  void configFileWithoutPathFails() throws IOException {
    Path file = yaml("encryptionKey: 32\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ServerModule.fromConfig(file, Map.of()));
    assertTrue(e.getMessage().contains("path"), e.getMessage());
  }

  @Test
  void invalidCombinationFromAFileFailsAtBuildSayingWhatToChange() throws IOException {
    Path file = yaml("path: /calc\nforceEncryption: true\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServerModule.fromConfig(file, Map.of()).functions(FUNCTIONS).build());
    assertTrue(e.getMessage().contains("set encryptionKey"), e.getMessage());
  }
}
