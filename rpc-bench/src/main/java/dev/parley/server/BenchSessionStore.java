package dev.parley.server;

import dev.parley.crypto.ServerChannel;
import java.time.Clock;
import java.time.Duration;

/**
 * Benchmark-only access to rpc-server's real session store: the same {@link CaffeineSessionStore}
 * and {@link ServerSession} objects an encrypted module keeps after an accepted msg3, without the
 * network. It lives in rpc-bench, in rpc-server's package, because the store is package-private;
 * it is not part of Parley's API and no other code may use it.
 */
public final class BenchSessionStore {
  private final CaffeineSessionStore store;

  /** A store as {@code ServerModule} builds it (expireAfterAccess 30 min, maximumSize {@code max}). */
  public BenchSessionStore(long max) {
    this.store = new CaffeineSessionStore(Duration.ofMinutes(30), max, null, null, null, null, false,
        Clock.systemUTC());
  }

  /** Stores an encrypted session as the handshake does; false if {@code id} was live already. */
  public boolean addEncrypted(String id, ServerChannel channel) {
    return store.createEncrypted(id, channel) != null;
  }

  /** Runs the cache's pending maintenance. */
  public void cleanUp() {
    store.cleanUp();
  }

  /** Approximately how many sessions are live. */
  public long size() {
    return store.size();
  }
}
