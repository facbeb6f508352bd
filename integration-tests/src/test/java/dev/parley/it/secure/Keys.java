package dev.parley.it.secure;

import dev.parley.crypto.SecureKey;
import java.security.SecureRandom;
import java.util.HexFormat;

/** SecureKeys for the tests: fresh random keys per test run, never printed. */
final class Keys {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** The key the servers use. */
  static final String A = randomHex();
  /** Another key: a client holding it has the wrong key. */
  static final String B = randomHex();

  private Keys() {}

  static SecureKey a() {
    return SecureKey.parse(A);
  }

  static SecureKey b() {
    return SecureKey.parse(B);
  }

  static String randomHex() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return HexFormat.of().formatHex(key);
  }
}
