package dev.parley.server;

/**
 * Every test of {@link EncryptedModuleTest} (handshake, sealed calls, replays, tampering, unknown
 * and expired sessions, limits) against a {@linkplain ServerModule.Builder#nonBlocking
 * non-blocking} module.
 */
class NonBlockingEncryptedModuleTest extends EncryptedModuleTest {
  @Override
  boolean nonBlocking() {
    return true;
  }
}
