package dev.parley.it.secure;

import dev.parley.crypto.SecureKey;
import dev.parley.testing.TestKey;

/** SecureKeys for the tests: fresh random keys per test run, never printed. */
final class Keys {
  private static final TestKey KEY_A = TestKey.random();
  private static final TestKey KEY_B = TestKey.random();
  /** The key the servers use, as hex. */
  static final String A = KEY_A.hex();
  /** Another key, as hex: a client holding it has the wrong key. */
  static final String B = KEY_B.hex();

  private Keys() {}

  static SecureKey a() {
    return KEY_A.secureKey();
  }

  static SecureKey b() {
    return KEY_B.secureKey();
  }
}
