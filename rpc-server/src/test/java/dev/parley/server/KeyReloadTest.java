package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.ConfigException;
import dev.parley.crypto.ClientHandshake;
import dev.parley.crypto.SecureKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key rotation without a restart (docs/OPERATIONS.md "Key rotation"): a module's {@code secureKeys}
 * read again from its config file while a real Jetty serves and real OkHttp clients hold sessions.
 */
class KeyReloadTest {
  private static final String ROUTE = "/calc";
  private static final String ADD = "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":{\"a\":1,\"b\":2},\"id\":1}";
  private static final SecureKey OLD = SecureKey.parse(SecureTestClient.KEY_HEX).withKeyId(1);
  private static final SecureKey NEW = SecureKey.parse(SecureTestClient.OTHER_KEY_HEX).withKeyId(2);

  @TempDir
  Path dir;
  private Path config;
  private ServerModule module;
  private RpcServer server;

  @BeforeEach
  void start() throws IOException {
    Files.writeString(dir.resolve("calc-1.key"), SecureTestClient.KEY_HEX);
    Files.writeString(dir.resolve("calc-2.key"), SecureTestClient.OTHER_KEY_HEX);
    config = dir.resolve("calc-server.yml");
    writeKeys("  - {id: 1, file: calc-1.key}\n");
    module = ServerModule.fromConfig(config, "PARLEY_CALC", Map.of()).functions(adder()).build();
    server = RpcServer.builder().host("127.0.0.1").port(0).module(module).build().start();
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  private static HandWrittenFunctions adder() {
    return new HandWrittenFunctions("test.Calc").add();
  }

  private void writeKeys(String entries) throws IOException {
    Files.writeString(config, "path: /calc\nencryptionKey: 32\nsecureKeys:\n" + entries);
  }

  private String url() {
    return server.uri() + ROUTE;
  }

  private int msg1Status(SecureKey key) {
    ClientHandshake handshake = ClientHandshake.start(key, ROUTE, 32, new SecureRandom());
    return SecureTestClient.handshake(url(), handshake.message1()).status();
  }

  @Test
  void aSessionOpenedBeforeTheReloadKeepsWorkingTheNewKeyHandshakesAndTheRemovedKeyIsRefused() throws IOException {
    SecureTestClient before = SecureTestClient.connect(url(), ROUTE, OLD);
    assertEquals(3, ServerHarness.tree(before.call(ADD)).get("result").asInt());

    writeKeys("  - {id: 2, file: calc-2.key}\n");
    assertEquals(List.of(2), module.reloadKeys());

    assertEquals(3, ServerHarness.tree(before.call(ADD)).get("result").asInt(), "the live session is kept");
    SecureTestClient after = SecureTestClient.connect(url(), ROUTE, NEW);
    assertEquals(3, ServerHarness.tree(after.call(ADD)).get("result").asInt(), "the new key opens sessions");
    assertEquals(403, msg1Status(OLD), "the removed key opens none");
    assertEquals(List.of(2), module.keyIds());
  }

  @Test
  void duringARotationBothKeysOpenSessions() throws IOException {
    writeKeys("  - {id: 1, file: calc-1.key}\n  - {id: 2, file: calc-2.key}\n");
    assertEquals(List.of(1, 2), module.reloadKeys());
    SecureTestClient old = SecureTestClient.connect(url(), ROUTE, OLD);
    SecureTestClient fresh = SecureTestClient.connect(url(), ROUTE, NEW);
    assertEquals(3, ServerHarness.tree(old.call(ADD)).get("result").asInt());
    assertEquals(3, ServerHarness.tree(fresh.call(ADD)).get("result").asInt());
  }

  @Test
  void theServerReloadsEveryModuleWhoseKeysCameFromFiles() throws IOException {
    writeKeys("  - {id: 2, file: calc-2.key}\n");
    assertEquals(Map.of("/calc", List.of(2)), server.reloadKeys());
    assertEquals(200, msg1Status(NEW));
  }

  @Test
  void aKeyFileThatCannotBeReadFailsTheReloadNamingItAndTheKeysInUseStay() throws IOException {
    SecureTestClient before = SecureTestClient.connect(url(), ROUTE, OLD);
    writeKeys("  - {id: 2, file: missing.key}\n");
    ConfigException e = assertThrows(ConfigException.class, module::reloadKeys);
    assertEquals("secureKeys", e.key().orElseThrow());
    assertTrue(e.getMessage().contains("missing.key"), e.getMessage());
    assertTrue(e.getMessage().contains(config.toString()), e.getMessage());
    assertEquals(List.of(1), module.keyIds());
    assertEquals(3, ServerHarness.tree(before.call(ADD)).get("result").asInt());
    assertEquals(200, msg1Status(OLD));
  }

  @Test
  void aFileWithoutKeysFailsTheReloadInsteadOfTurningEncryptionOff() throws IOException {
    Files.writeString(config, "path: /calc\nencryptionKey: 32\n");
    ConfigException e = assertThrows(ConfigException.class, module::reloadKeys);
    assertTrue(e.getMessage().contains("cannot turn encryption off"), e.getMessage());
    assertEquals(List.of(1), module.keyIds());
  }

  @Test
  void twoEntriesWithOneKeyIdFailTheReload() throws IOException {
    writeKeys("  - {id: 1, file: calc-1.key}\n  - {id: 1, file: calc-2.key}\n");
    ConfigException e = assertThrows(ConfigException.class, module::reloadKeys);
    assertEquals("secureKeys", e.key().orElseThrow());
    assertEquals(List.of(1), module.keyIds());
  }

  @Test
  void keysGivenInCodeAreReplacedWithReloadKeysOfKeyObjects() {
    ServerModule coded = ServerModule.builder("/coded").functions(adder()).secureKey(OLD).build();
    IllegalStateException e = assertThrows(IllegalStateException.class, coded::reloadKeys);
    assertTrue(e.getMessage().contains("reloadKeys(SecureKey...)"), e.getMessage());
    assertEquals(List.of(1, 2), coded.reloadKeys(OLD, NEW));
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
        () -> coded.reloadKeys(OLD, OLD.withKeyId(1)));
    assertTrue(twice.getMessage().contains("share key id 1"), twice.getMessage());
  }

  @Test
  void aPlainModuleHasNoKeysToReload() {
    ServerModule plain = ServerModule.builder("/plain").functions(adder()).build();
    IllegalStateException e = assertThrows(IllegalStateException.class, plain::reloadKeys);
    assertTrue(e.getMessage().contains("does not encrypt"), e.getMessage());
  }
}
