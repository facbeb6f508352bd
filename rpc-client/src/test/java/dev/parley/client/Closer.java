package dev.parley.client;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Closes what a test opened, last opened first, after each test:
 * {@code @RegisterExtension final Closer closer = new Closer();} then
 * {@code FakeServer server = closer.track(new FakeServer());}.
 */
final class Closer implements AfterEachCallback {
  private final List<AutoCloseable> open = new ArrayList<>();

  /** Closes {@code c} after the test; returns it. */
  <T extends AutoCloseable> T track(T c) {
    open.add(c);
    return c;
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    open.clear();
  }
}
