package dev.parley.client;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh {@link FakeServer} and a plain {@link ClientModule} for its {@code /calc} for each test,
 * both closed after it: {@code @RegisterExtension final FakeCalc fake = new FakeCalc();}, then
 * {@code fake.server.result("3")} and {@code fake.calc.call(…)}.
 */
final class FakeCalc implements BeforeEachCallback, AfterEachCallback {
  FakeServer server;
  ClientModule calc;

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    server = new FakeServer();
    calc = ClientModule.builder(server.url("/calc")).build();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    calc.close();
    server.close();
  }
}
