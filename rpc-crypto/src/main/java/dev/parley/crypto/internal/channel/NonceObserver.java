package dev.parley.crypto.internal.channel;

/**
 * Test hook: told every (key, nonce) pair a channel seals with, so a test can prove none repeats.
 * The key is named by its direction and epoch, never by its bytes.
 */
@FunctionalInterface
public interface NonceObserver {
  /** Does nothing. */
  NonceObserver NONE = (direction, epoch, nonce) -> {};

  /**
   * @param direction "c2s" or "s2c"
   * @param epoch the epoch whose key sealed
   * @param nonce a copy of the 12-byte nonce
   */
  void sealed(String direction, int epoch, byte[] nonce);
}
