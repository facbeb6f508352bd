package dev.parley.bench;

import dev.parley.crypto.SessionKeys;
import java.security.SecureRandom;

/** Random keys and bodies for the measurements: sessions are made from random session keys, no handshake. */
public final class RandomKeys {
  private static final SecureRandom RANDOM = new SecureRandom();

  private RandomKeys() {}

  /** Session keys of random bytes, in the lengths a handshake derives (PROTOCOL.md §7). */
  public static SessionKeys sessionKeys() {
    return new SessionKeys(bytes(16), bytes(32), bytes(12), bytes(32), bytes(12), bytes(32), bytes(16));
  }

  /** {@code n} random bytes. */
  public static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
