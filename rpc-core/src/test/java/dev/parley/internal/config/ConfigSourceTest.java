package dev.parley.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.Compression;
import dev.parley.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigSourceTest {
  /** Looks like a real key (64 hex digits); must never appear in a message. */
  private static final String SECRET = "00ff1e0b9c3d5a7f00ff1e0b9c3d5a7f00ff1e0b9c3d5a7f00ff1e0b9c3d5a7f";
  private static final Map<String, String> NO_ENV = Map.of();

  @TempDir Path dir;

  /** Loads {@code file} with the server's keys and no environment, which must fail. */
  private static ConfigException serverRefuses(Path file) {
    return refuses(file, ConfigKeys.SERVER);
  }

  /** Loads {@code file} with {@code keys} and no environment, which must fail. */
  private static ConfigException refuses(Path file, Set<String> keys) {
    return assertThrows(ConfigException.class, () -> ConfigSource.load(file, keys, NO_ENV));
  }

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  private ConfigSource server(String name, String text) throws IOException {
    return ConfigSource.load(write(name, text), ConfigKeys.SERVER, NO_ENV);
  }

  private ConfigSource client(String name, String text) throws IOException {
    return ConfigSource.load(write(name, text), ConfigKeys.CLIENT, NO_ENV);
  }

  // ---- reading files

  @Test
  void yamlFileLoadsEveryType() throws IOException {
    ConfigSource c = server("server.yml", "path: /calc\n"
        + "encryptionKey: 32\n"
        + "forceEncryption: yes\n"
        + "secureKeyId: 7\n"
        + "autoSessionsLive: 10m\n"
        + "maxSessions: 100_000\n"
        + "compression: fast\n"
        + "secureKeyFile: keys/server.key\n");
    assertEquals(Optional.of("/calc"), c.string(ConfigKeys.PATH));
    assertEquals(Optional.of(32), c.encryptionKey());
    assertEquals(Optional.of(true), c.bool(ConfigKeys.FORCE_ENCRYPTION));
    assertEquals(Optional.of(7), c.integer(ConfigKeys.SECURE_KEY_ID, 0, 255));
    assertEquals(Optional.of(Duration.ofMinutes(10)), c.duration(ConfigKeys.AUTO_SESSIONS_LIVE));
    assertEquals(Optional.of(100_000L), c.longValue(ConfigKeys.MAX_SESSIONS, 1, Long.MAX_VALUE));
    assertEquals(Optional.of(Compression.FAST), c.compression(ConfigKeys.COMPRESSION));
    assertEquals(Optional.of(dir.resolve("keys/server.key").toAbsolutePath()), c.path(ConfigKeys.SECURE_KEY_FILE));
  }

  @Test
  void propertiesFileLoadsEveryType() throws IOException {
    ConfigSource c = client("client.properties", "# a client\n"
        + "url = http://127.0.0.1:8080/calc\n"
        + "encryptionKey=16\n"
        + "autoRepost: off\n"
        + "callTimeout=PT1M\n"
        + "readTimeout=0\n"
        + "maxBodyBytes=4194304\n"
        + "compression=MAX\n"
        + "secureKeyFile=/etc/parley/client.key\n");
    assertEquals(Optional.of("http://127.0.0.1:8080/calc"), c.string(ConfigKeys.URL));
    assertEquals(Optional.of(16), c.encryptionKey());
    assertEquals(Optional.of(false), c.bool(ConfigKeys.AUTO_REPOST));
    assertEquals(Optional.of(Duration.ofMinutes(1)), c.timeout(ConfigKeys.CALL_TIMEOUT));
    assertEquals(Optional.of(Duration.ZERO), c.timeout(ConfigKeys.READ_TIMEOUT));
    assertEquals(Optional.of(4_194_304L), c.longValue(ConfigKeys.MAX_BODY_BYTES, 1, Long.MAX_VALUE));
    assertEquals(Optional.of(Compression.MAX), c.compression(ConfigKeys.COMPRESSION));
    assertEquals(Optional.of(Path.of("/etc/parley/client.key")), c.path(ConfigKeys.SECURE_KEY_FILE));
  }

  @Test
  void propertiesFileIsReadAsUtf8() throws IOException {
    ConfigSource c = server("server.properties", "path=/caf\u00e9\n");
    assertEquals(Optional.of("/caf\u00e9"), c.string(ConfigKeys.PATH));
  }

  @Test
  void yamlScalarsKeepTheirTextAsWritten() throws IOException {
    // Unquoted, YAML would read these as numbers; a key must stay exactly as written.
    ConfigSource c = server("server.yaml", "secureKey: 0012e45\npath: 007\n");
    assertEquals("0012e45", c.secureKey().orElseThrow().text());
    assertEquals(Optional.of("007"), c.string(ConfigKeys.PATH));
  }

  @Test
  void emptyValuesCountAsNotSet() throws IOException {
    ConfigSource c = server("server.yml", "path: /calc\nencryptionKey:\nsecureKey: ''\ncompression: ~\n");
    assertEquals(Optional.empty(), c.encryptionKey());
    assertEquals(Optional.empty(), c.secureKey());
    assertEquals(Optional.empty(), c.compression(ConfigKeys.COMPRESSION));
    assertEquals(java.util.Set.of("path"), c.keys());
  }

  @Test
  void emptyYamlFileHasNoSettings() throws IOException {
    assertTrue(server("server.yml", "# nothing yet\n").keys().isEmpty());
  }

  @Test
  void missingFileNamesThePath() {
    Path missing = dir.resolve("nope.yml");
    ConfigException e = serverRefuses(missing);
    assertEquals("config file " + missing.toAbsolutePath() + " does not exist", e.getMessage());
    assertEquals(Optional.empty(), e.key());
  }

  /**
   * Files refused as a whole, with the message that names the rule ({file} stands for the path): an
   * unknown extension, a nested YAML key, a YAML list, YAML that is no mapping, a key written twice
   * in YAML or in properties, two YAML documents, a file over 1 MiB.
   */
  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("filesThatBreakARule")
  void fileThatBreaksARuleIsRejectedNamingTheRule(String name, String content, String message) throws IOException {
    Path file = write(name, content);
    ConfigException e = serverRefuses(file);
    assertEquals(message.replace("{file}", file.toString()), e.getMessage());
  }

  static Stream<Arguments> filesThatBreakARule() {
    return Stream.of(
        Arguments.of("server.json", "{}",
            "config file {file} has an unknown type; name it .yml, .yaml (YAML) or .properties"),
        Arguments.of("server.yml", "path: /calc\nsessions:\n  live: 10m\n",
            "sessions in file {file}: expected a single value (keys are flat, e.g. \"sessions:"
                + " value\"), got a mapping (nested keys)"),
        Arguments.of("server.yml", "secureKeyId: [1, 2]\n",
            "secureKeyId in file {file}: expected a single value (keys are flat, e.g."
                + " \"secureKeyId: value\"), got a list"),
        Arguments.of("server.yml", "- path\n- encryptionKey\n",
            "config file {file} must be a YAML mapping of settings (lines such as"
                + " \"encryptionKey: 32\"), but it is a list"),
        Arguments.of("server.yml", "encryptionKey: 32\nencryptionKey: 16\n",
            "encryptionKey appears twice in config file {file}; keep one"),
        Arguments.of("server.properties", "encryptionKey=32\nencryptionKey=16\n",
            "encryptionKey appears twice in config file {file}; keep one"),
        Arguments.of("server.yml", "path: /a\n---\npath: /b\n",
            "config file {file} holds more than one YAML document; keep one"),
        Arguments.of("server.properties", "#" + "x".repeat(ConfigSource.MAX_FILE_BYTES) + "\n",
            "config file {file} is larger than 1 MiB; it should hold a few settings"));
  }

  @Test
  void folderIsRejected() throws IOException {
    Path folder = Files.createDirectory(dir.resolve("conf.yml"));
    ConfigException e = serverRefuses(folder);
    assertEquals("config file " + folder + " is a folder, not a file", e.getMessage());
  }

  @Test
  void unknownKeyIsRejectedWithASuggestionAndTheAllowedKeys() throws IOException {
    Path file = write("server.yml", "path: /calc\nencryptonKey: 32\n");
    ConfigException e = serverRefuses(file);
    assertEquals("unknown key encryptonKey (did you mean encryptionKey?) in file " + file
        + "; the allowed keys are allowUnauthenticated, apiDescription, apiTitle, apiVersion, autoSessionsLive,"
        + " compression, encryptionKey, envPrefix, exposeErrorMessages, forceEncryption, maxBodyBytes, maxSessions,"
        + " nonBlocking, path, route, secureKey, secureKeyFile, secureKeyId, secureKeys",
        e.getMessage());
    assertEquals(Optional.of("encryptonKey"), e.key());
  }

  @Test
  void clientKeyInAServerFileIsUnknown() throws IOException {
    Path file = write("server.properties", "path=/calc\nurl=http://x\n");
    ConfigException e = serverRefuses(file);
    assertTrue(e.getMessage().startsWith("unknown key url in file " + file), e.getMessage());
  }

  @Test
  void keyPastedAloneOnAPropertiesLineIsNotEchoed() throws IOException {
    // A properties line holding only the key makes the key a key *name*.
    Path file = write("client.properties", "url=http://x\n" + SECRET + "\n");
    ConfigException e = refuses(file, ConfigKeys.CLIENT);
    assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    assertTrue(e.getMessage().startsWith("unknown key (a 64-character name that is not a setting, not shown)"),
        e.getMessage());
  }

  @Test
  void invalidYamlGivesThePositionButNotTheLine() throws IOException {
    Path file = write("server.yml", "path: /calc\nsecureKey: " + SECRET + "\n  bad: [\n");
    ConfigException e = serverRefuses(file);
    assertTrue(e.getMessage().startsWith("config file " + file + " is not valid YAML at line "), e.getMessage());
    assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    assertEquals(null, e.getCause());
  }

  @Test
  void propertiesFileThatIsNotUtf8IsRejected() throws IOException {
    Path file = dir.resolve("server.properties");
    Files.write(file, new byte[] {'p', 'a', 't', 'h', '=', (byte) 0xe9, '\n'});
    ConfigException e = serverRefuses(file);
    assertEquals("config file " + file + " is not UTF-8 text", e.getMessage());
  }

  // ---- environment overrides

  @Test
  void environmentOverrideWinsOverTheFile() throws IOException {
    Path file = write("server.yml", "path: /calc\nencryptionKey: 32\nautoSessionsLive: 10m\n");
    ConfigSource c = ConfigSource.load(file, ConfigKeys.SERVER,
        Map.of("PARLEY_ENCRYPTION_KEY", "48", "PARLEY_AUTO_SESSIONS_LIVE", "PT5S"));
    assertEquals(Optional.of(48), c.encryptionKey());
    assertEquals(Optional.of(Duration.ofSeconds(5)), c.duration(ConfigKeys.AUTO_SESSIONS_LIVE));
    assertEquals(Optional.of("environment variable PARLEY_ENCRYPTION_KEY"), c.source(ConfigKeys.ENCRYPTION_KEY));
    assertEquals(Optional.of("file " + file), c.source(ConfigKeys.PATH));
  }

  @Test
  void environmentSetsAKeyTheFileLacks() throws IOException {
    ConfigSource c = ConfigSource.load(write("client.yml", "url: http://x/calc\n"), ConfigKeys.CLIENT,
        Map.of("PARLEY_FORCE_ENCRYPTION", "TRUE"));
    assertEquals(Optional.of(true), c.bool(ConfigKeys.FORCE_ENCRYPTION));
  }

  @Test
  void blankEnvironmentVariableIsIgnored() throws IOException {
    ConfigSource c = ConfigSource.load(write("server.yml", "encryptionKey: 32\n"), ConfigKeys.SERVER,
        Map.of("PARLEY_ENCRYPTION_KEY", " "));
    assertEquals(Optional.of(32), c.encryptionKey());
  }

  @Test
  void environmentVariablesOfKeysNotAllowedAreIgnored() throws IOException {
    ConfigSource c = ConfigSource.load(write("server.yml", "path: /calc\n"), ConfigKeys.SERVER,
        Map.of("PARLEY_URL", "http://elsewhere", "PARLEY_SOMETHING", "x"));
    assertEquals(java.util.Set.of("path"), c.keys());
  }

  @Test
  void environmentSecureKeyReplacesTheFilesSecureKeyFile() throws IOException {
    ConfigSource c = ConfigSource.load(write("server.yml", "secureKeyFile: missing.key\n"), ConfigKeys.SERVER,
        Map.of("PARLEY_SECURE_KEY", SECRET));
    SecretText key = c.secureKey().orElseThrow();
    assertEquals(SECRET, key.text());
    assertEquals("environment variable PARLEY_SECURE_KEY", key.source());
    assertFalse(c.has(ConfigKeys.SECURE_KEY_FILE));
  }

  @Test
  void malformedEnvironmentValueNamesTheVariable() throws IOException {
    ConfigSource c = ConfigSource.load(write("server.yml", "encryptionKey: 32\n"), ConfigKeys.SERVER,
        Map.of("PARLEY_ENCRYPTION_KEY", "8"));
    ConfigException e = assertThrows(ConfigException.class, c::encryptionKey);
    assertEquals("encryptionKey in environment variable PARLEY_ENCRYPTION_KEY: expected an integer from 16"
        + " to 64 (or 0 to disable), got \"8\"", e.getMessage());
    assertEquals("environment variable PARLEY_ENCRYPTION_KEY", e.source());
  }

  // ---- malformed values, one message per type

  private ConfigException malformed(String key, String value, java.util.function.Consumer<ConfigSource> get)
      throws IOException {
    ConfigSource c = client("client.yml", key + ": \"" + value + "\"\n");
    return assertThrows(ConfigException.class, () -> get.accept(c));
  }

  private String in() {
    return " in file " + dir.resolve("client.yml") + ": ";
  }

  @Test
  void encryptionKeyBelowSixteenGivesTheRange() throws IOException {
    ConfigException e = malformed("encryptionKey", "8", ConfigSource::encryptionKey);
    assertEquals("encryptionKey" + in() + "expected an integer from 16 to 64 (or 0 to disable), got \"8\"",
        e.getMessage());
    assertEquals(Optional.of("encryptionKey"), e.key());
  }

  @Test
  void encryptionKeyZeroMeansOff() throws IOException {
    assertEquals(Optional.of(0), client("client.yml", "encryptionKey: 0\n").encryptionKey());
  }

  @Test
  void integerOutOfRangeGivesTheRange() throws IOException {
    ConfigException e = malformed("secureKeyId", "256", c -> c.integer("secureKeyId", 0, 255));
    assertEquals("secureKeyId" + in() + "expected an integer from 0 to 255, got \"256\"", e.getMessage());
  }

  @Test
  void integerThatIsNotANumberIsRejected() throws IOException {
    ConfigException e = malformed("maxRequestsPerHost", "many", c -> c.integer("maxRequestsPerHost", 1, 1000));
    assertEquals("maxRequestsPerHost" + in() + "expected an integer from 1 to 1000, got \"many\"", e.getMessage());
  }

  @Test
  void longBeyondLongRangeIsRejected() throws IOException {
    ConfigException e = malformed("maxBodyBytes", "99999999999999999999",
        c -> c.longValue("maxBodyBytes", 1, Long.MAX_VALUE));
    assertEquals("maxBodyBytes" + in() + "expected a whole number of at least 1, got \"99999999999999999999\"",
        e.getMessage());
  }

  @Test
  void booleanAcceptsYesNoOnOffAndRejectsOtherWords() throws IOException {
    assertEquals(Optional.of(true), client("client.yml", "autoRepost: On\n").bool("autoRepost"));
    assertEquals(Optional.of(false), client("client.yml", "autoRepost: NO\n").bool("autoRepost"));
    ConfigException e = malformed("autoRepost", "maybe", c -> c.bool("autoRepost"));
    assertEquals("autoRepost" + in() + "expected true or false (or yes/no, on/off), got \"maybe\"", e.getMessage());
  }

  @Test
  void durationInBothSyntaxes() throws IOException {
    assertEquals(Duration.ofMillis(500), ConfigValue.parseDuration("500ms"));
    assertEquals(Duration.ofSeconds(30), ConfigValue.parseDuration("30s"));
    assertEquals(Duration.ofMinutes(10), ConfigValue.parseDuration("10M"));
    assertEquals(Duration.ofHours(2), ConfigValue.parseDuration("2h"));
    assertEquals(Duration.ofDays(1), ConfigValue.parseDuration("1d"));
    assertEquals(Duration.ofSeconds(30), ConfigValue.parseDuration("PT30S"));
    assertEquals(Duration.ofMinutes(90), ConfigValue.parseDuration("pt1h30m"));
  }

  /** A duration without a unit, and a zero duration where a positive one is needed. */
  @ParameterizedTest
  @ValueSource(strings = {"30", "0s"})
  void durationWithoutUnitOrOfZeroIsRejected(String value) throws IOException {
    ConfigException e = malformed("connectTimeout", value, c -> c.duration("connectTimeout"));
    assertEquals("connectTimeout" + in() + "expected a positive duration such as 500ms, 30s, 10m, 2h, 1d or"
        + " PT30S, got \"" + value + "\"", e.getMessage());
  }

  @Test
  void negativeTimeoutIsRejected() throws IOException {
    ConfigException e = malformed("readTimeout", "PT-5S", c -> c.timeout("readTimeout"));
    assertEquals("readTimeout" + in() + "expected a duration such as 500ms, 30s, 10m, 2h, 1d or PT30S"
        + " (0 for no limit), got \"PT-5S\"", e.getMessage());
  }

  @Test
  void overflowingDurationIsRejected() throws IOException {
    assertEquals(null, ConfigValue.parseDuration("999999999999999999d"));
  }

  @Test
  void unknownCompressionListsTheNames() throws IOException {
    ConfigException e = malformed("compression", "gzip", c -> c.compression("compression"));
    assertEquals("compression" + in() + "expected one of none, fast, default or max, got \"gzip\"", e.getMessage());
  }

  @Test
  void invalidPathIsRejected() throws IOException {
    ConfigException e = malformed("secureKeyFile", "a\\u0000b", c -> c.path("secureKeyFile"));
    assertEquals("secureKeyFile" + in() + "expected a file path, got \"a\\u0000b\"", e.getMessage());
  }

  @Test
  void nonSecretValueThatLooksLikeAKeyIsNotEchoed() throws IOException {
    ConfigException e = malformed("secureKeyId", SECRET, c -> c.integer("secureKeyId", 0, 255));
    assertEquals("secureKeyId" + in() + "expected an integer from 0 to 255, got a 64-character value that"
        + " looks like a key (not shown)", e.getMessage());
  }

  // ---- secrets

  @Test
  void secretValueNeverAppearsInAMessage() throws IOException {
    ConfigSource c = server("server.yml", "secureKey: " + SECRET + "\n");
    ConfigException e = assertThrows(ConfigException.class, () -> c.integer("secureKey", 0, 1));
    assertEquals("secureKey in file " + dir.resolve("server.yml") + ": expected an integer from 0 to 1, got a"
        + " value that does not match (not shown: secureKey is secret)", e.getMessage());
  }

  @Test
  void shortSecretValueNeverAppearsInAMessage() throws IOException {
    ConfigSource c = ConfigSource.of(Map.of("secureKey", "hunter2"), ConfigKeys.CLIENT, NO_ENV);
    ConfigException e = c.invalid(ConfigKeys.SECURE_KEY, "a hex or base64 key of 32 to 1024 bytes");
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
  }

  @Test
  void secretTextInvalidHidesTheValue() throws IOException {
    ConfigSource c = ConfigSource.load(write("client.yml", "url: http://x\n"), ConfigKeys.CLIENT,
        Map.of("PARLEY_SECURE_KEY", SECRET));
    SecretText secret = c.secureKey().orElseThrow();
    ConfigException e = secret.invalid("a hex or base64 key of 32 to 1024 bytes", null);
    assertEquals("secureKey in environment variable PARLEY_SECURE_KEY: expected a hex or base64 key of 32 to"
        + " 1024 bytes, got a value that does not match (not shown: the key is secret)", e.getMessage());
    assertFalse(secret.toString().contains(SECRET));
    assertFalse(c.toString().contains(SECRET));
  }

  @Test
  void secureKeyAndSecureKeyFileTogetherAreRejected() throws IOException {
    Path file = write("server.yml", "secureKey: " + SECRET + "\nsecureKeyFile: server.key\n");
    ConfigSource c = ConfigSource.load(file, ConfigKeys.SERVER, NO_ENV);
    ConfigException e = assertThrows(ConfigException.class, c::secureKey);
    assertEquals("secureKey and secureKeyFile are both set (in file " + file + "); set only one of them",
        e.getMessage());
  }

  @Test
  void relativeSecureKeyFileResolvesAgainstTheConfigFilesFolder() throws IOException {
    Path conf = Files.createDirectory(dir.resolve("conf"));
    Files.writeString(conf.resolve("server.key"), SECRET + "\n");
    ConfigSource c = ConfigSource.load(Files.writeString(conf.resolve("server.yml"), "secureKeyFile: server.key\n"),
        ConfigKeys.SERVER, NO_ENV);
    SecretText key = c.secureKey().orElseThrow();
    assertEquals(SECRET, key.text());
    assertEquals("key file " + conf.resolve("server.key"), key.source());
  }

  @Test
  void relativePathFromTheEnvironmentResolvesAgainstTheWorkingDirectory() throws IOException {
    ConfigSource c = ConfigSource.load(write("server.yml", ""), ConfigKeys.SERVER,
        Map.of("PARLEY_SECURE_KEY_FILE", "keys/server.key"));
    assertEquals(Optional.of(Path.of("keys/server.key").toAbsolutePath()), c.path(ConfigKeys.SECURE_KEY_FILE));
  }

  @Test
  void missingSecureKeyFileNamesTheSettingAndBothFiles() throws IOException {
    Path file = write("server.yml", "secureKeyFile: server.key\n");
    ConfigSource c = ConfigSource.load(file, ConfigKeys.SERVER, NO_ENV);
    ConfigException e = assertThrows(ConfigException.class, c::secureKey);
    assertEquals("secureKeyFile in file " + file + ": key file " + dir.resolve("server.key") + " does not exist",
        e.getMessage());
  }

  @Test
  void portInAModuleFileSaysItIsAnRpcServerSetting() throws IOException {
    Path file = write("calc-server.yml", "path: /calc\nport: 8080\n");
    ConfigException e = serverRefuses(file);
    assertTrue(e.getMessage().startsWith("unknown key port in file " + file + "; port is a setting of RpcServer:"
        + " put it in the server's own file, read with RpcServer.fromConfig; the allowed keys are "), e.getMessage());
  }

  @Test
  void moduleKeyInAServerFileSaysItBelongsToTheModulesFile() throws IOException {
    Path file = write("server.yml", "port: 8080\nencryptionKey: 32\n");
    ConfigException e = refuses(file, ConfigKeys.RPC_SERVER);
    assertTrue(e.getMessage().startsWith("unknown key encryptionKey in file " + file + "; encryptionKey is a"
        + " setting of a server module: put it in the module's own file, read with ServerModule.fromConfig"),
        e.getMessage());
  }

  // ---- environment prefixes

  @Test
  void envPrefixInTheFileReadsOnlyItsOwnVariables() throws IOException {
    Path file = write("calc.yml", "envPrefix: PARLEY_CALC_\npath: /calc\n");
    Map<String, String> env = Map.of("PARLEY_COMPRESSION", "max", "PARLEY_CALC_ENCRYPTION_KEY", "16");
    ConfigSource c = ConfigSource.load(file, ConfigKeys.SERVER, env);
    assertEquals(Optional.of(16), c.encryptionKey());
    assertEquals(Optional.empty(), c.compression(ConfigKeys.COMPRESSION), "PARLEY_* belongs to other modules now");
    assertEquals("PARLEY_CALC_", c.envPrefix());
    assertEquals(Optional.of("environment variable PARLEY_CALC_ENCRYPTION_KEY"), c.source(ConfigKeys.ENCRYPTION_KEY));
  }

  @Test
  void envPrefixGivenInCodeWinsOverTheFileAndGetsItsUnderscore() throws IOException {
    Path file = write("calc.yml", "envPrefix: PARLEY_CALC_\npath: /calc\n");
    Map<String, String> env = Map.of("PARLEY_CALC_ENCRYPTION_KEY", "16", "PARLEY_BANK_ENCRYPTION_KEY", "48");
    ConfigSource c = ConfigSource.load(file, ConfigKeys.SERVER, env, "PARLEY_BANK");
    assertEquals("PARLEY_BANK_", c.envPrefix());
    assertEquals(Optional.of(48), c.encryptionKey());
  }

  @Test
  void twoModulesWithTheirOwnPrefixesAreOverriddenApart() throws IOException {
    Map<String, String> env = Map.of("PARLEY_CALC_COMPRESSION", "fast", "PARLEY_BANK_COMPRESSION", "max");
    ConfigSource calc = ConfigSource.load(write("calc.yml", "path: /calc\n"), ConfigKeys.SERVER, env, "PARLEY_CALC");
    ConfigSource bank = ConfigSource.load(write("bank.yml", "path: /bank\n"), ConfigKeys.SERVER, env, "PARLEY_BANK_");
    assertEquals(Optional.of(Compression.FAST), calc.compression(ConfigKeys.COMPRESSION));
    assertEquals(Optional.of(Compression.MAX), bank.compression(ConfigKeys.COMPRESSION));
  }

  @Test
  void envPrefixItselfIsNotReadFromTheEnvironment() throws IOException {
    ConfigSource c = ConfigSource.load(write("calc.yml", "path: /calc\n"), ConfigKeys.SERVER,
        Map.of("PARLEY_ENV_PREFIX", "PARLEY_CALC_", "PARLEY_CALC_ENCRYPTION_KEY", "16"));
    assertEquals("PARLEY_", c.envPrefix());
    assertEquals(Optional.empty(), c.encryptionKey());
  }

  @Test
  void malformedEnvPrefixInTheFileNamesTheKeyAndTheFile() throws IOException {
    Path file = write("calc.yml", "envPrefix: parley-calc\n");
    ConfigException e = serverRefuses(file);
    assertEquals("envPrefix in file " + file + ": expected upper-case letters, digits and _ starting with a letter,"
        + " such as PARLEY_CALC_, got \"parley-calc\"", e.getMessage());
    assertEquals(Optional.of("envPrefix"), e.key());
  }

  @Test
  void malformedEnvPrefixGivenInCodeIsRefused() throws IOException {
    Path file = write("calc.yml", "path: /calc\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ConfigSource.load(file, ConfigKeys.SERVER, NO_ENV, "1CALC"));
    assertTrue(e.getMessage().contains("such as PARLEY_CALC_"), e.getMessage());
  }

  @Test
  void missingRequiredKeyNamesThePrefixedVariable() throws IOException {
    ConfigSource c = ConfigSource.load(write("calc.yml", "envPrefix: PARLEY_CALC\n"), ConfigKeys.SERVER, NO_ENV);
    assertTrue(c.missing(ConfigKeys.PATH, "a path").getMessage().contains("no PARLEY_CALC_PATH environment variable"));
  }

  @Test
  void reloadReadsTheFileAndTheSameEnvironmentAgain() throws IOException {
    Path file = write("calc.yml", "path: /calc\ncompression: fast\n");
    ConfigSource first = ConfigSource.load(file, ConfigKeys.SERVER, Map.of("PARLEY_CALC_MAX_SESSIONS", "7"), "PARLEY_CALC");
    Files.writeString(file, "path: /calc\ncompression: max\n");
    ConfigSource again = first.reload();
    assertEquals(Optional.of(Compression.MAX), again.compression(ConfigKeys.COMPRESSION));
    assertEquals(Optional.of(7L), again.longValue(ConfigKeys.MAX_SESSIONS, 1, Long.MAX_VALUE));
    assertEquals(Optional.of(Compression.FAST), first.compression(ConfigKeys.COMPRESSION), "the first is unchanged");
  }

  // ---- secureKeys

  private static final String SECRET_2 = "11ee2d1c8b4e6b8e11ee2d1c8b4e6b8e11ee2d1c8b4e6b8e11ee2d1c8b4e6b8e";

  private void keyFiles() throws IOException {
    write("calc-1.key", SECRET + "\n");
    write("calc-2.key", SECRET_2 + "\n");
  }

  @Test
  void secureKeysAsAYamlListReadEveryKeyWithItsId() throws IOException {
    keyFiles();
    ConfigSource c = server("calc.yml", "path: /calc\nsecureKeys:\n  - id: 1\n    file: calc-1.key\n"
        + "  - {id: 2, file: calc-2.key}\n");
    java.util.List<KeyEntry> keys = c.secureKeys().orElseThrow();
    assertEquals(java.util.List.of(1, 2), keys.stream().map(KeyEntry::keyId).toList());
    assertEquals(SECRET, keys.get(0).secret().text());
    assertEquals(SECRET_2, keys.get(1).secret().text());
    assertEquals("key file " + dir.resolve("calc-2.key"), keys.get(1).secret().source());
    assertEquals(Optional.empty(), c.secureKey());
    assertFalse(keys.toString().contains(SECRET), keys.toString());
  }

  @Test
  void secureKeysAsTextInPropertiesAndInTheEnvironment() throws IOException {
    keyFiles();
    ConfigSource props = server("calc.properties", "path=/calc\nsecureKeys=1:calc-1.key, 2:calc-2.key\n");
    assertEquals(java.util.List.of(1, 2), props.secureKeys().orElseThrow().stream().map(KeyEntry::keyId).toList());
    ConfigSource env = ConfigSource.load(write("env.yml", "path: /calc\n"), ConfigKeys.SERVER,
        Map.of("PARLEY_SECURE_KEYS", "7:" + dir.resolve("calc-2.key")));
    KeyEntry only = env.secureKeys().orElseThrow().get(0);
    assertEquals(7, only.keyId());
    assertEquals(SECRET_2, only.secret().text());
  }

  @Test
  void secureKeysFromTheEnvironmentReplaceTheFilesKeyAndItsId() throws IOException {
    keyFiles();
    Path file = write("calc.yml", "path: /calc\nsecureKeyFile: calc-1.key\nsecureKeyId: 3\n");
    ConfigSource c = ConfigSource.load(file, ConfigKeys.SERVER,
        Map.of("PARLEY_SECURE_KEYS", "4:" + dir.resolve("calc-2.key")));
    assertEquals(Optional.empty(), c.secureKey());
    assertEquals(Optional.empty(), c.integer(ConfigKeys.SECURE_KEY_ID, 0, 255));
    assertEquals(4, c.secureKeys().orElseThrow().get(0).keyId());
  }

  @Test
  void aSecureKeyFileFromTheEnvironmentReplacesTheFilesSecureKeys() throws IOException {
    keyFiles();
    Path file = write("calc.yml", "path: /calc\nsecureKeys: 1:calc-1.key\n");
    ConfigSource c = ConfigSource.load(file, ConfigKeys.SERVER,
        Map.of("PARLEY_SECURE_KEY_FILE", dir.resolve("calc-2.key").toString()));
    assertEquals(Optional.empty(), c.secureKeys());
    assertEquals(SECRET_2, c.secureKey().orElseThrow().text());
  }

  @Test
  void secureKeysWithTwoEqualIdsAreRefusedNamingTheFile() throws IOException {
    keyFiles();
    ConfigSource c = server("calc.yml", "secureKeys: 1:calc-1.key, 1:calc-2.key\n");
    ConfigException e = assertThrows(ConfigException.class, c::secureKeys);
    assertEquals("secureKeys in file " + dir.resolve("calc.yml") + ": two entries have key id 1; give each key its"
        + " own id", e.getMessage());
  }

  @Test
  void secureKeysEntryWithoutAnIdIsRefused() throws IOException {
    ConfigSource c = server("calc.properties", "secureKeys=calc-1.key\n");
    ConfigException e = assertThrows(ConfigException.class, c::secureKeys);
    assertEquals("secureKeys in file " + dir.resolve("calc.properties") + ": expected entries such as 1:calc-1.key"
        + " (a key id from 0 to 255, a colon and the key file), separated by commas, got \"calc-1.key\"",
        e.getMessage());
  }

  @Test
  void secureKeysYamlEntryWithoutAFileIsRefusedNamingTheEntry() throws IOException {
    Path file = write("calc.yml", "secureKeys:\n  - id: 1\n    file: calc-1.key\n  - id: 2\n");
    ConfigException e = serverRefuses(file);
    assertTrue(e.getMessage().startsWith("secureKeys in file " + file + ", entry 2: expected a mapping with an id"
        + " and a file"), e.getMessage());
  }

  @Test
  void secureKeysYamlEntryWithAnInlineKeyIsRefusedWithoutShowingIt() throws IOException {
    Path file = write("calc.yml", "secureKeys:\n  - id: 1\n    key: " + SECRET + "\n");
    ConfigException e = serverRefuses(file);
    assertTrue(e.getMessage().contains("key is not allowed there"), e.getMessage());
    assertFalse(e.getMessage().contains(SECRET), e.getMessage());
  }

  @Test
  void secureKeysWithSecureKeyFileInOneFileAreRefused() throws IOException {
    keyFiles();
    Path file = write("calc.yml", "secureKeyFile: calc-1.key\nsecureKeys: 2:calc-2.key\n");
    ConfigSource c = ConfigSource.load(file, ConfigKeys.SERVER, NO_ENV);
    ConfigException e = assertThrows(ConfigException.class, c::secureKey);
    assertEquals("secureKeyFile and secureKeys are both set (in file " + file + "); set only one of them",
        e.getMessage());
  }

  @Test
  void secureKeysWithSecureKeyIdAreRefused() throws IOException {
    keyFiles();
    Path file = write("calc.yml", "secureKeyId: 1\nsecureKeys: 2:calc-2.key\n");
    ConfigSource c = ConfigSource.load(file, ConfigKeys.SERVER, NO_ENV);
    ConfigException e = assertThrows(ConfigException.class, c::secureKeys);
    assertTrue(e.getMessage().startsWith("secureKeyId in file " + file + " applies to secureKey or secureKeyFile"),
        e.getMessage());
  }

  @Test
  void aMissingFileInSecureKeysNamesTheSettingAndBothFiles() throws IOException {
    ConfigSource c = server("calc.yml", "secureKeys: 1:gone.key\n");
    ConfigException e = assertThrows(ConfigException.class, c::secureKeys);
    assertEquals("secureKeys in file " + dir.resolve("calc.yml") + ": key file " + dir.resolve("gone.key")
        + " does not exist", e.getMessage());
  }

  // ---- the keystore password of an RpcServer

  @Test
  void aKeystorePasswordInAConfigFileIsRefusedWithoutShowingIt() throws IOException {
    Path file = write("server.yml", "port: 8443\ntlsKeyStorePassword: hunter2hunter2\n");
    ConfigException e = refuses(file, ConfigKeys.RPC_SERVER);
    assertEquals("tlsKeyStorePassword in file " + file + ": a password does not belong in a config file; put it in"
        + " a file named by tlsKeyStorePasswordFile, or in the environment variable PARLEY_TLS_KEY_STORE_PASSWORD"
        + " (not shown: it is secret)", e.getMessage());
  }

  @Test
  void aKeystorePasswordComesFromTheEnvironmentOrAPasswordFile() throws IOException {
    write("tls.pass", "hunter2hunter2\n");
    ConfigSource fromFile = ConfigSource.load(write("server.yml", "tlsKeyStorePasswordFile: tls.pass\n"),
        ConfigKeys.RPC_SERVER, NO_ENV);
    assertEquals("hunter2hunter2", fromFile.tlsKeyStorePassword().orElseThrow().text());
    assertEquals("password file " + dir.resolve("tls.pass"), fromFile.tlsKeyStorePassword().orElseThrow().source());
    ConfigSource fromEnv = ConfigSource.load(dir.resolve("server.yml"), ConfigKeys.RPC_SERVER,
        Map.of("PARLEY_TLS_KEY_STORE_PASSWORD", "correcthorse"));
    assertEquals("correcthorse", fromEnv.tlsKeyStorePassword().orElseThrow().text());
  }

  @Test
  void anEmptyPasswordFileNamesTheSettingAndTheFile() throws IOException {
    write("tls.pass", "\n");
    ConfigSource c = ConfigSource.load(write("server.yml", "tlsKeyStorePasswordFile: tls.pass\n"),
        ConfigKeys.RPC_SERVER, NO_ENV);
    ConfigException e = assertThrows(ConfigException.class, c::tlsKeyStorePassword);
    assertEquals("tlsKeyStorePasswordFile in file " + dir.resolve("server.yml") + ": password file "
        + dir.resolve("tls.pass") + " is empty; put the password in it", e.getMessage());
  }

  // ---- programmatic use

  @Test
  void mapSettingsAreCheckedAndOverriddenLikeAFile() {
    ConfigSource c = ConfigSource.of(Map.of("url", "http://x/calc", "compression", "fast"), ConfigKeys.CLIENT,
        Map.of("PARLEY_COMPRESSION", "max"));
    assertEquals(Optional.of("http://x/calc"), c.string(ConfigKeys.URL));
    assertEquals(Optional.of(Compression.MAX), c.compression(ConfigKeys.COMPRESSION));
    assertEquals(Optional.of("settings map"), c.source(ConfigKeys.URL));
  }

  @Test
  void mapWithAnUnknownKeyIsRejected() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigSource.of(Map.of("autoSessionsLive", "10m"), ConfigKeys.CLIENT, NO_ENV));
    assertTrue(e.getMessage().startsWith("unknown key autoSessionsLive in settings map; autoSessionsLive is a setting"
        + " of a server module: put it in the module's own file, read with ServerModule.fromConfig; the allowed keys"
        + " are "), e.getMessage());
  }

  @Test
  void missingRequiredKeyNamesTheEnvironmentVariableToo() {
    ConfigSource c = ConfigSource.of(Map.of(), ConfigKeys.CLIENT, NO_ENV);
    assertEquals("url is missing in settings map (and no PARLEY_URL environment variable is set); expected an"
        + " http(s) URL", c.missing(ConfigKeys.URL, "an http(s) URL").getMessage());
  }

  @Test
  void askingForAKeyOutsideTheAllowedSetIsAProgrammingError() {
    ConfigSource c = ConfigSource.of(Map.of(), ConfigKeys.CLIENT, NO_ENV);
    assertThrows(IllegalArgumentException.class, () -> c.duration(ConfigKeys.AUTO_SESSIONS_LIVE));
  }

  @Test
  void aYamlListOfPlainValuesArrivesAsCommaSeparatedText() throws IOException {
    ConfigSource c = ConfigSource.load(write("rpc.yml", "tlsProtocols:\n  - TLSv1.3\n  - TLSv1.2\n"
        + "corsAllowedOrigins: [https://a.example.com, https://b.example.com]\n"), ConfigKeys.RPC_SERVER, NO_ENV);
    assertEquals(Optional.of("TLSv1.3,TLSv1.2"), c.string(ConfigKeys.TLS_PROTOCOLS));
    assertEquals(Optional.of("https://a.example.com,https://b.example.com"), c.string(ConfigKeys.CORS_ALLOWED_ORIGINS));
  }

  @Test
  void aYamlListEntryThatIsNotAPlainValueNamesTheKeyAndTheFile() throws IOException {
    Path file = write("rpc.yml", "corsAllowedHeaders:\n  - {name: Authorization}\n");
    ConfigException e = refuses(file, ConfigKeys.RPC_SERVER);
    assertEquals(Optional.of(ConfigKeys.CORS_ALLOWED_HEADERS), e.key());
    assertTrue(e.getMessage().contains("file " + file.toAbsolutePath().normalize()), e.getMessage());
  }

  @Test
  void aYamlListForAKeyThatHoldsOneValueIsRefused() throws IOException {
    Path file = write("rpc.yml", "host:\n  - a\n  - b\n");
    ConfigException e = refuses(file, ConfigKeys.RPC_SERVER);
    assertTrue(e.getMessage().contains("expected a single value"), e.getMessage());
  }

  @Test
  void aRouteInAClientFileSaysItIsAServerModuleSetting() throws IOException {
    ConfigException e = assertThrows(ConfigException.class,
        () -> client("client.yml", "url: http://127.0.0.1:8080/calc\nroute: /api/calc\n"));
    assertTrue(e.getMessage().contains("route is a setting of a server module"), e.getMessage());
  }
}
