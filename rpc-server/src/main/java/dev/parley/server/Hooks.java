package dev.parley.server;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.parley.crypto.ServerChannel;
import dev.parley.server.internal.TestHooks;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.jetty.util.thread.Scheduler;

/** rpc-server's implementation of {@link TestHooks}, installed when {@link ServerModule} is loaded. */
final class Hooks extends TestHooks {
  private Hooks() {}

  static void register() {
    install(new Hooks());
  }

  @Override
  protected void setTicker(ServerModule.Builder builder, Ticker ticker) {
    builder.ticker(ticker);
  }

  @Override
  protected void setClock(ServerModule.Builder builder, Clock clock) {
    builder.clock(clock);
  }

  @Override
  protected void setDeadlineScheduler(ServerModule.Builder builder, Scheduler scheduler) {
    builder.deadlineScheduler(scheduler);
  }

  @Override
  protected SessionStoreHandle newSessionStore(long maxSessions) {
    CaffeineSessionStore store = new CaffeineSessionStore(Duration.ofMinutes(30), maxSessions, null, null, null, null,
        false, Clock.systemUTC());
    return new SessionStoreHandle() {
      @Override
      public boolean addEncrypted(String id, ServerChannel channel) {
        return store.createEncrypted(id, channel) != null;
      }

      @Override
      public void cleanUp() {
        store.cleanUp();
      }

      @Override
      public long size() {
        return store.size();
      }
    };
  }
}
