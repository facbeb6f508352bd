package dev.parley.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The README's first command runs this demo; the build runs it too, so a change that breaks one of
 * its checks (for example what a proxy sees of an encrypted call) fails the test suite, not only a
 * newcomer's first try.
 */
class DemoTest {
  @Test
  void everyCallOfTheDemoBehavesAsExpected() {
    assertEquals(0, Demo.run(), "unexpected results in the demo; its output above names them");
  }
}
