package dev.parley.server.internal;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.parley.crypto.ServerChannel;
import dev.parley.server.ServerModule;
import java.time.Clock;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * NOT API: how rpc-testing and rpc-bench reach rpc-server's test hooks, which are package-private
 * so that no production builder shows them. {@code dev.parley.testing.ManualTicker} and
 * {@code ManualClock} go through {@link #ticker} and {@link #clock}; rpc-bench measures the real
 * session store through {@link #sessionStore}. rpc-server installs the one implementation when
 * {@link ServerModule} is loaded (the accessor pattern of OkHttp's {@code Internal}).
 */
public abstract class TestHooks {
  private static volatile TestHooks installed;

  protected TestHooks() {}

  /** Called once, by rpc-server itself. */
  protected static synchronized void install(TestHooks hooks) {
    if (installed == null) {
      installed = hooks;
    }
  }

  /**
   * The session cache's clock (Caffeine's {@link Ticker}), so a test can expire sessions by
   * advancing it instead of sleeping; no background scheduler then removes expired sessions.
   */
  public static void ticker(ServerModule.Builder builder, Ticker ticker) {
    get().setTicker(builder, ticker);
  }

  /**
   * The wall clock of handshake tokens (PROTOCOL.md §6.3), session creation times and the encrypted
   * sessions' maximum age (§12.4).
   */
  public static void clock(ServerModule.Builder builder, Clock clock) {
    get().setClock(builder, clock);
  }

  /**
   * The scheduler whose timers end calls at their deadline (docs/SERVER.md "Deadlines"), so a
   * test fires a deadline when it chooses: a scheduler that keeps the tasks and runs them on demand.
   */
  public static void deadlineScheduler(ServerModule.Builder builder, Scheduler scheduler) {
    get().setDeadlineScheduler(builder, scheduler);
  }

  /** A session store as an encrypted module builds it (expire after 30 min unused, at most {@code maxSessions}). */
  public static SessionStoreHandle sessionStore(long maxSessions) {
    return get().newSessionStore(maxSessions);
  }

  protected abstract void setTicker(ServerModule.Builder builder, Ticker ticker);

  protected abstract void setClock(ServerModule.Builder builder, Clock clock);

  protected abstract SessionStoreHandle newSessionStore(long maxSessions);

  protected abstract void setDeadlineScheduler(ServerModule.Builder builder, Scheduler scheduler);

  private static TestHooks get() {
    TestHooks hooks = installed;
    if (hooks == null) {
      try {
        Class.forName(ServerModule.class.getName(), true, TestHooks.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("rpc-server is not on the class path", e);
      }
      hooks = installed;
    }
    return hooks;
  }

  /** The real session store of an encrypted module, without the network (benchmarks). */
  public interface SessionStoreHandle {
    /** Stores an encrypted session as an accepted msg3 does; false if {@code id} is in use. */
    boolean addEncrypted(String id, ServerChannel channel);

    /** Runs the cache's pending maintenance. */
    void cleanUp();

    /** Approximately how many sessions are live. */
    long size();
  }
}
