package dev.parley.it.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.client.ClientModule;
import dev.parley.client.WrongSecureKeyException;
import dev.parley.crypto.SecureKey;
import dev.parley.server.RpcServer;
import dev.parley.server.ServerModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Parley client through a reverse proxy that strips {@code /api} (docs/DEPLOYING.md "Path
 * prefixes and rewriting proxies"; here {@link AttackProxy#stripPrefix}), to an encrypted module whose
 * config file sets its {@code route} and lists its {@code secureKeys}; then a key rotation by
 * {@code reloadKeys()} while the client's session lives (docs/OPERATIONS.md "Key rotation").
 */
class ProxiedRouteAndKeyReloadTest {
  private static final SecureKey OLD = Keys.a().withKeyId(1);
  private static final SecureKey NEW = Keys.b().withKeyId(2);

  @TempDir
  Path dir;
  private Path config;
  private CountingCalculator calculator;
  private ServerModule module;
  private RpcServer backend;
  private AttackProxy proxy;
  private String publicUrl;

  @BeforeEach
  void start() throws Exception {
    Files.writeString(dir.resolve("calc-1.key"), Keys.A);
    Files.writeString(dir.resolve("calc-2.key"), Keys.B);
    config = dir.resolve("calc-server.yml");
    writeKeys("  - {id: 1, file: calc-1.key}\n");
    calculator = new CountingCalculator();
    module = ServerModule.fromConfig(config, "PARLEY_IT_CALC", Map.of())
        .functions(new CalculatorFunctions(calculator)).build();
    backend = RpcServer.builder().host("127.0.0.1").port(0).module(module).build().start();
    proxy = new AttackProxy(backend.uri().toString()).stripPrefix("/api");
    publicUrl = proxy.url("/api/calc");
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    backend.stop();
  }

  private void writeKeys(String entries) throws IOException {
    Files.writeString(config, "path: /calc\nroute: /api/calc\nsecureKeys:\n" + entries);
  }

  private ClientModule client(SecureKey key) {
    return ClientModule.builder(publicUrl).secureKey(key).build();
  }

  @Test
  void aClientKeepsItsSessionThroughAReloadThatRemovesItsKeyWhileNewClientsUseTheNewKey() throws IOException {
    try (ClientModule before = client(OLD)) {
      CalculatorClient calc = new CalculatorClient(before);
      assertEquals(3, calc.add(1, 2));
      String session = before.sessionId().orElseThrow();

      writeKeys("  - {id: 2, file: calc-2.key}\n");
      assertEquals(List.of(2), module.reloadKeys());

      assertEquals(5, calc.add(2, 3), "the live session is kept");
      assertEquals(session, before.sessionId().orElseThrow(), "on the same session");
      try (ClientModule after = client(NEW)) {
        assertEquals(7, new CalculatorClient(after).add(3, 4));
      }
      try (ClientModule late = client(OLD)) {
        assertThrows(WrongSecureKeyException.class, () -> new CalculatorClient(late).add(1, 1));
      }
      assertEquals(3, calculator.invocations("add"), "each accepted call ran once, the refused one not at all");
    }
  }
}
