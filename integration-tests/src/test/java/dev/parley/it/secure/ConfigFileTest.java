package dev.parley.it.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.ConfigException;
import dev.parley.client.ClientModule;
import dev.parley.client.WrongSecureKeyException;
import dev.parley.it.secure.AttackProxy.Kind;
import dev.parley.server.ServerModule;
import dev.parley.testing.ParleyServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server and client modules built from config files (YAML and properties, with secureKeyFile),
 * environment overrides that win over the file, and clear errors for malformed values (docs/CONFIG.md).
 */
class ConfigFileTest {
  private static final Map<String, String> NO_ENV = Map.of();

  @TempDir
  Path dir;

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  private Path keyFile(String name, String key) throws IOException {
    Path file = write(name, key + "\n");
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: nothing to restrict
    }
    return file;
  }

  private static ParleyServer serve(ServerModule.Builder module) {
    return ParleyServer.builder().module(module).build().start();
  }

  @Test
  void aServerFromYamlAndAClientFromPropertiesTalkEncryptedWithKeyFiles() throws Exception {
    keyFile("calc.key", Keys.A);
    Path serverYml = write("calc-server.yml", """
        # Parley server module "calc"
        path: /calc
        encryptionKey: 32
        secureKeyFile: calc.key
        autoSessionsLive: 10m
        maxSessions: 100_000
        """);
    CountingCalculator service = new CountingCalculator();
    ServerModule.Builder fromFile = ServerModule.fromConfig(serverYml, NO_ENV).functions(new CalculatorFunctions(service));
    ServerModule module = fromFile.build();
    assertEquals("/calc", module.path());
    assertEquals(Duration.ofMinutes(10), module.autoSessionsLive());
    assertEquals(32, module.encryptionKey());
    assertTrue(module.forcesEncryption(), "a SecureKey implies forceEncryption");
    assertFalse(module.toString().toLowerCase(java.util.Locale.ROOT).contains(Keys.A), module.toString());
    try (ParleyServer server = serve(fromFile);   // a module built from the same builder, the same file
        AttackProxy proxy = new AttackProxy(server.uri().toString())) {
      Path clientProperties = write("calc-client.properties", """
          url=%s
          encryptionKey=32
          forceEncryption=true
          secureKeyFile=calc.key
          readTimeout=20s
          """.formatted(proxy.url("/calc")));
      ClientModule.Builder builder = ClientModule.fromConfig(clientProperties, NO_ENV);
      assertFalse(builder.toString().toLowerCase(java.util.Locale.ROOT).contains(Keys.A), builder.toString());
      try (ClientModule client = builder.build()) {
        assertFalse(client.toString().toLowerCase(java.util.Locale.ROOT).contains(Keys.A), client.toString());
        assertEquals(5, new CalculatorClient(client).add(2, 3));
      }
      assertEquals(1, service.invocations("add"));
      assertEquals(1, proxy.count(Kind.SEALED));
      assertEquals(0, proxy.count(Kind.PLAIN), "a client with a SecureKey sent a plain call");
    }
  }

  @Test
  void aServerFromPropertiesAndAClientFromYamlTalkEncryptedWithAnInlineKey() throws Exception {
    Path serverProperties = write("server.properties", """
        path=/calc
        encryptionKey=48
        secureKey=%s
        compression=fast
        """.formatted(Keys.A));
    CountingCalculator service = new CountingCalculator();
    try (ParleyServer server = serve(ServerModule.fromConfig(serverProperties, NO_ENV)
            .functions(new CalculatorFunctions(service)));
        AttackProxy proxy = new AttackProxy(server.uri().toString())) {
      Path clientYml = write("client.yml", """
          url: %s
          path: /calc
          encryptionKey: 16
          secureKey: %s
          compression: max
          """.formatted(proxy.url(""), Keys.A));
      String big = "parley ".repeat(10_000);
      try (ClientModule client = ClientModule.fromConfig(clientYml, NO_ENV).build()) {
        assertEquals(big, new CalculatorClient(client).echo(big));
      }
      assertEquals(1, service.invocations("echo"));
      // Both sides compress inside the sealed plaintext (their compression settings from the files).
      AttackProxy.Exchange call = proxy.last(Kind.SEALED);
      assertEquals(200, call.status());
      assertTrue(call.body().length < big.length() / 10, "request not compressed: " + call.body().length);
      assertTrue(call.answer().body().length < big.length() / 10, "answer not compressed: " + call.answer().body().length);
    }
  }

  @Test
  void anEnvironmentOverrideWinsOverTheServerFile() throws Exception {
    keyFile("calc.key", Keys.A);
    Path serverYml = write("server.yml", """
        path: /calc
        encryptionKey: 32
        secureKeyFile: calc.key
        autoSessionsLive: 10m
        """);

    ServerModule module = ServerModule.fromConfig(serverYml, Map.of("PARLEY_AUTO_SESSIONS_LIVE", "45s"))
        .functions(new CalculatorFunctions(new CountingCalculator())).build();

    assertEquals(Duration.ofSeconds(45), module.autoSessionsLive());
  }

  @Test
  void anEnvironmentOverrideOfTheKeyFileWinsOverTheClientFile() throws Exception {
    Path right = keyFile("right.key", Keys.A);
    keyFile("wrong.key", Keys.B);
    CountingCalculator service = new CountingCalculator();
    try (ParleyServer server = serve(ServerModule.builder("/calc").encryptionKey(32).secureKey(Keys.a())
        .functions(new CalculatorFunctions(service)))) {
      Path clientYml = write("client.yml", """
          url: %s/calc
          encryptionKey: 32
          secureKeyFile: wrong.key
          """.formatted(server.uri()));
      try (ClientModule fromFile = ClientModule.fromConfig(clientYml, NO_ENV).build()) {
        assertThrows(WrongSecureKeyException.class, () -> new CalculatorClient(fromFile).add(1, 1));
      }

      try (ClientModule overridden = ClientModule.fromConfig(clientYml,
          Map.of("PARLEY_SECURE_KEY_FILE", right.toString())).build()) {
        assertEquals(2, new CalculatorClient(overridden).add(1, 1));
      }
      assertEquals(1, service.invocations("add"));
    }
  }

  @Test
  void aMalformedValueInAFileFailsNamingTheKeyTheFileAndTheExpectedForm() throws Exception {
    Path serverYml = write("server.yml", """
        path: /calc
        encryptionKey: 8
        """);

    ConfigException e = assertThrows(ConfigException.class, () -> ServerModule.fromConfig(serverYml, NO_ENV));

    assertEquals(Optional.of("encryptionKey"), e.key());
    assertTrue(e.getMessage().contains("encryptionKey"), e.getMessage());
    assertTrue(e.getMessage().contains(serverYml.getFileName().toString()), e.getMessage());
    assertTrue(e.getMessage().contains("16") && e.getMessage().contains("64"), e.getMessage());
  }

  @Test
  void aMalformedEnvironmentValueFailsNamingTheVariable() throws Exception {
    Path clientProperties = write("client.properties", """
        url=http://127.0.0.1:1/calc
        encryptionKey=32
        secureKeyFile=calc.key
        """);
    keyFile("calc.key", Keys.A);

    ConfigException e = assertThrows(ConfigException.class,
        () -> ClientModule.fromConfig(clientProperties, Map.of("PARLEY_FORCE_ENCRYPTION", "maybe")).build());

    assertEquals(Optional.of("forceEncryption"), e.key());
    assertTrue(e.getMessage().contains("PARLEY_FORCE_ENCRYPTION"), e.getMessage());
  }

  @Test
  void aMalformedSecureKeyIsReportedWithoutShowingIt() throws Exception {
    String notAKey = "this-is-not-a-key-" + Keys.A.substring(0, 20);
    Path serverYml = write("server.yml", """
        path: /calc
        encryptionKey: 32
        secureKey: %s
        """.formatted(notAKey));

    ConfigException e = assertThrows(ConfigException.class,
        () -> ServerModule.fromConfig(serverYml, NO_ENV).functions(new CalculatorFunctions(new CountingCalculator())).build());

    assertEquals(Optional.of("secureKey"), e.key());
    assertFalse(e.getMessage().contains(notAKey), e.getMessage());
    assertFalse(e.getMessage().contains(Keys.A.substring(0, 20)), e.getMessage());
  }

  @Test
  void aMissingKeyFileIsReportedByName() throws Exception {
    Path clientYml = write("client.yml", """
        url: http://127.0.0.1:1/calc
        encryptionKey: 32
        secureKeyFile: nowhere.key
        """);

    ConfigException e = assertThrows(ConfigException.class, () -> ClientModule.fromConfig(clientYml, NO_ENV).build());

    assertEquals(Optional.of("secureKeyFile"), e.key());
    assertTrue(e.getMessage().contains("nowhere.key"), e.getMessage());
  }
}
