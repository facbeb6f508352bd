package dev.parley.server;

import org.junit.jupiter.api.BeforeAll;

/**
 * Every HTTP rule of {@link HttpRulesTest} (methods, content types, the size limit with and
 * without a Content-Length, gzip) holds for a {@linkplain ServerModule.Builder#nonBlocking
 * non-blocking} module, which reads its bodies without blocking.
 */
class NonBlockingHttpRulesTest extends HttpRulesTest {
  @BeforeAll
  static void start() {
    harness = harness(true);
  }
}
