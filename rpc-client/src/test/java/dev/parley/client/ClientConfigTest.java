package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.Compression;
import dev.parley.ConfigException;
import dev.parley.crypto.SecureKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientConfigTest {
  private static final String KEY = EncryptedCallTest.KEY_HEX;

  @TempDir
  Path dir;

  private Path write(String name, String text) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  private static String settings(ClientModule.Builder builder) {
    try (ClientModule module = builder.build()) {
      return module.settings();
    }
  }

  private static String refusal(ClientModule.Builder builder) {
    return assertThrows(IllegalArgumentException.class, builder::build).getMessage();
  }

  @Test
  void yamlFileSetsEverySetting() throws Exception {
    Files.writeString(dir.resolve("calc.key"), KEY);
    Path file = write("client.yml", String.join("\n",
        "url: http://127.0.0.1:8080",
        "path: /calc",
        "encryptionKey: 48",
        "secureKeyFile: calc.key",
        "secureKeyId: 3",
        "compression: fast",
        "autoRepost: no",
        "maxBodyBytes: 1_000",
        "readTimeout: 20s",
        "connectTimeout: 0",
        "maxRequestsPerHost: 16", ""));
    ClientModule.Builder builder = ClientModule.fromConfig(file, Map.of());
    try (ClientModule module = builder.build()) {
      assertEquals("http://127.0.0.1:8080/calc", module.uri().toString());
      assertEquals("encryptionKey=48, force=true, autoRepost=false, keyId=3, compression=fast, maxBodyBytes=1000,"
          + " readTimeoutMs=20000, connectTimeoutMs=0, maxRequestsPerHost=16", module.settings());
    }
  }

  @Test
  void autoSessionsPingComesFromTheFileOrTheEnvironment() throws Exception {
    Path file = write("client.yml", "url: http://127.0.0.1:8080/calc\nsecureKey: " + KEY + "\nautoSessionsPing: 30s\n");
    assertTrue(settings(ClientModule.fromConfig(file, Map.of())).endsWith(", autoSessionsPingMs=30000"));
    String s = settings(ClientModule.fromConfig(file, Map.of("PARLEY_AUTO_SESSIONS_PING", "0")));
    assertFalse(s.contains("autoSessionsPing"), s);
  }

  @Test
  void autoSessionsPingOnAPlainClientIsRefusedAndSaysWhy() throws Exception {
    Path file = write("client.yml", "url: http://127.0.0.1:8080/calc\nautoSessionsPing: 30s\n");
    assertTrue(refusal(ClientModule.fromConfig(file, Map.of())).startsWith("autoSessionsPing keeps an encrypted"
        + " session alive, and this client does not encrypt"));
  }

  @Test
  void autoLoginShowsItsFunctionButNeverItsParameters() {
    String s = settings(ClientModule.builder("http://127.0.0.1:8080/calc").secureKey(KEY)
        .autoLogin("login", java.util.List.of("ann", "s3cret-password")));
    assertTrue(s.endsWith(", autoLogin=login"), s);
    assertFalse(s.contains("s3cret"), s);
  }

  @Test
  void autoLoginGivenTwiceOrBlankIsRefused() {
    ClientModule.Builder builder = ClientModule.builder("http://127.0.0.1:8080/calc").autoLogin("login", null);
    assertThrows(IllegalStateException.class, () -> builder.autoLogin("other", null));
    assertThrows(IllegalArgumentException.class,
        () -> ClientModule.builder("http://127.0.0.1:8080/calc").autoLogin(" ", null));
  }

  @Test
  void environmentOverridesTheFile() throws Exception {
    Path file = write("client.properties", "url=http://127.0.0.1:8080/calc\nsecureKey=" + KEY + "\ncompression=fast\n");
    String s = settings(ClientModule.fromConfig(file, Map.of("PARLEY_COMPRESSION", "max", "PARLEY_ENCRYPTION_KEY", "16")));
    assertTrue(s.startsWith("encryptionKey=16, force=true"), s);
    assertTrue(s.contains("compression=max"), s);
  }

  @Test
  void twoClientsOfOneProcessAreOverriddenApartByTheirEnvironmentPrefixes() throws Exception {
    Path a = write("a.yml", "url: http://127.0.0.1:8080/a\n");
    Path b = write("b.yml", "url: http://127.0.0.1:8080/b\nenvPrefix: PARLEY_B_\n");
    Map<String, String> env = Map.of("PARLEY_A_COMPRESSION", "fast", "PARLEY_B_COMPRESSION", "max",
        "PARLEY_COMPRESSION", "default");
    assertTrue(settings(ClientModule.fromConfig(a, "PARLEY_A", env)).contains("compression=fast"));
    assertTrue(settings(ClientModule.fromConfig(b, env)).contains("compression=max"));
    assertTrue(settings(ClientModule.fromConfig(a, env)).contains("compression=default"), "no prefix: PARLEY_");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClientModule.fromConfig(a, "parley-a", env));
    assertTrue(e.getMessage().contains("environment prefix"), e.getMessage());
  }

  @Test
  void builderCallsAfterFromConfigReplaceFileValues() throws Exception {
    Path file = write("client.yml", "url: http://127.0.0.1:8080/calc\nsecureKey: " + KEY + "\ncompression: fast\n");
    String s = settings(ClientModule.fromConfig(file, Map.of()).compression(Compression.NONE).encryptionKey(24));
    assertTrue(s.startsWith("encryptionKey=24"), s);
    assertTrue(s.contains("compression=none"), s);
  }

  @Test
  void malformedFileValueNamesKeyFileAndForm() throws Exception {
    Path file = write("client.yml", "url: http://127.0.0.1:8080/calc\nencryptionKey: 8\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ClientModule.fromConfig(file, Map.of()));
    assertTrue(e.getMessage().startsWith("encryptionKey in file "), e.getMessage());
    assertTrue(e.getMessage().contains("16 to 64"), e.getMessage());
  }

  @Test
  void malformedEnvironmentValueNamesTheVariable() throws Exception {
    Path file = write("client.yml", "url: http://127.0.0.1:8080/calc\n");
    ConfigException e = assertThrows(ConfigException.class,
        () -> ClientModule.fromConfig(file, Map.of("PARLEY_READ_TIMEOUT", "30")));
    assertTrue(e.getMessage().contains("environment variable PARLEY_READ_TIMEOUT"), e.getMessage());
  }

  @Test
  void malformedSecureKeyIsNeverShown() throws Exception {
    Path file = write("client.yml", "url: http://127.0.0.1:8080/calc\n");
    String secret = "not-a-key-but-secret-text";
    ConfigException e = assertThrows(ConfigException.class,
        () -> ClientModule.fromConfig(file, Map.of("PARLEY_SECURE_KEY", secret)));
    assertFalse(e.getMessage().contains(secret), e.getMessage());
    assertTrue(e.getMessage().contains("PARLEY_SECURE_KEY"), e.getMessage());
  }

  @Test
  void missingUrlIsReported() throws Exception {
    Path file = write("client.yml", "encryptionKey: 0\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ClientModule.fromConfig(file, Map.of()));
    assertTrue(e.getMessage().startsWith("url is missing"), e.getMessage());
  }

  @Test
  void unknownKeyIsRefused() throws Exception {
    Path file = write("client.yml", "url: http://127.0.0.1:8080/calc\nautoSessionsLive: 10m\n");
    assertThrows(ConfigException.class, () -> ClientModule.fromConfig(file, Map.of()));
  }

  @Test
  void secureKeyImpliesForcingAndEncryptionKey32() {
    String s = settings(ClientModule.builder("http://127.0.0.1:8080/calc").secureKey(KEY));
    assertTrue(s.startsWith("encryptionKey=32, force=true, autoRepost=true, keyId=0"), s);
  }

  @Test
  void plainIsTheDefault() {
    assertTrue(settings(ClientModule.builder("http://127.0.0.1:8080/calc")).startsWith("encryptionKey=0,"));
  }

  @Test
  void forceEncryptionWithoutEncryptionKeyIsRefused() {
    assertTrue(refusal(ClientModule.builder("http://h/calc").forceEncryption(true))
        .startsWith("forceEncryption needs encryption: set encryptionKey to 16..64"));
  }

  @Test
  void encryptionWithoutSecureKeyNeedsAllowUnauthenticated() {
    assertTrue(refusal(ClientModule.builder("http://h/calc").encryptionKey(32))
        .contains("allowUnauthenticated(true)"));
    assertTrue(settings(ClientModule.builder("http://h/calc").encryptionKey(32).allowUnauthenticated(true))
        .startsWith("encryptionKey=32, force=false, autoRepost=true, keyId=none"));
  }

  @Test
  void secureKeyWithEncryptionKeyZeroIsRefused() {
    assertTrue(refusal(ClientModule.builder("http://h/calc").secureKey(KEY).encryptionKey(0))
        .startsWith("a secureKey needs encryption"));
  }

  @Test
  void encryptionKeyOutOfRangeIsRefusedAtOnce() {
    assertEquals("encryptionKey must be 0 (no encryption) or 16 to 64, got 8",
        assertThrows(IllegalArgumentException.class, () -> ClientModule.builder("http://h/calc").encryptionKey(8)).getMessage());
  }

  @Test
  void secureKeyIdWithoutSecureKeyIsRefused() {
    assertTrue(refusal(ClientModule.builder("http://h/calc").secureKeyId(2)).startsWith("secureKeyId is set but there is no SecureKey"));
  }

  @Test
  void tooManyRequestsPerHostForOneSessionIsRefused() {
    assertTrue(refusal(ClientModule.builder("http://h/calc").secureKey(KEY).maxRequestsPerHost(2000))
        .contains("at most 1024"));
  }

  @Test
  void noSecretInToString() {
    ClientModule.Builder builder = ClientModule.builder("http://h/calc").secureKey(KEY);
    assertFalse(builder.toString().contains(KEY));
    try (ClientModule module = builder.build()) {
      assertEquals("ClientModule{http://h/calc, encrypted, forced}", module.toString());
    }
  }

  @Test
  void missingKeyFileFailsAtBuild() {
    ClientModule.Builder builder = ClientModule.builder("http://h/calc").secureKeyFile(dir.resolve("absent.key"));
    assertTrue(assertThrows(ConfigException.class, builder::build).getMessage().contains("does not exist"));
  }

  @Test
  void secureKeyGivenTwiceInCodeIsRefused() {
    ClientModule.Builder builder = ClientModule.builder("http://h/calc").secureKeyFile(dir.resolve("absent.key"));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> builder.secureKey(SecureKey.parse(KEY).withKeyId(7)));
    assertEquals("secureKey was already set; set each setting once", e.getMessage());
  }

  @Test
  void secureKeyInCodeReplacesTheConfiguredOne() throws Exception {
    Path file = write("client.yml", "url: http://127.0.0.1:8080/calc\nsecureKey: " + KEY + "\n");
    String s = settings(ClientModule.fromConfig(file, Map.of()).secureKey(SecureKey.parse(KEY).withKeyId(7)));
    assertTrue(s.contains("keyId=7"), s);
  }
}
