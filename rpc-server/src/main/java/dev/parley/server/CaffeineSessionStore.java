package dev.parley.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.parley.Session;
import dev.parley.crypto.SecureChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link SessionStore}: a Caffeine cache with {@code expireAfterAccess(autoSessionsLive)}
 * and {@code maximumSize(maxSessions)}. Its removal listener fires {@code onSessionClose} and marks
 * the session invalid, whatever removed it (expiry, size, {@link Session#invalidate()}).
 *
 * <p>With the system scheduler, expired sessions are removed (and their close events fired, and,
 * for encrypted sessions, their keys zeroed) close to their expiry time, instead of whenever the
 * cache next happens to do maintenance; that costs one shared JDK timer thread. Tests pass their own
 * {@link Ticker} and no scheduler, and drive maintenance with {@link #cleanUp()}.
 */
final class CaffeineSessionStore implements SessionStore {
  private static final Logger LOG = LoggerFactory.getLogger(CaffeineSessionStore.class);

  /** The most that a recorded use may lag behind the real last use (SessionStore#touch). */
  private static final long MAX_TOUCH_INTERVAL_NANOS = 1_000_000_000L;

  private final Cache<String, ServerSession> cache;
  private final Consumer<Session> onOpen;
  private final Clock clock;
  private final Ticker ticker;
  private final long touchIntervalNanos;

  CaffeineSessionStore(Duration live, long maxSessions, Consumer<Session> onOpen, Consumer<Session> onClose,
      Ticker ticker, Executor executor, boolean systemScheduler, Clock clock) {
    this.onOpen = onOpen;
    this.clock = clock;
    this.ticker = ticker == null ? Ticker.systemTicker() : ticker;
    this.touchIntervalNanos = Math.min(MAX_TOUCH_INTERVAL_NANOS, live.toNanos() / 1000);
    Caffeine<Object, Object> builder = Caffeine.newBuilder()
        .expireAfterAccess(live)
        .maximumSize(maxSessions);
    if (ticker != null) {
      builder.ticker(ticker);
    }
    if (executor != null) {
      builder.executor(executor);
    }
    if (systemScheduler) {
      builder.scheduler(Scheduler.systemScheduler());
    }
    this.cache = builder
        .<String, ServerSession>removalListener((id, session, cause) -> removed(session, cause, onClose))
        .build();
  }

  private static void removed(ServerSession session, RemovalCause cause, Consumer<Session> onClose) {
    if (session == null || cause == RemovalCause.REPLACED) {
      return;
    }
    LOG.debug("session {} closed ({})", session, cause);
    try {
      if (onClose != null) {
        onClose.accept(session);
      }
    } catch (RuntimeException e) {
      LOG.warn("onSessionClose listener failed for {}", session, e);
    } finally {
      session.closed();
    }
  }

  @Override
  public ServerSession get(String id) {
    return cache.getIfPresent(id);
  }

  @Override
  public ServerSession peek(String id) {
    return cache.policy().getIfPresentQuietly(id);
  }

  @Override
  public void touch(ServerSession session) {
    long now = ticker.read();
    if (now - session.touched < touchIntervalNanos) {
      return;   // recorded recently enough: skip the cache's read buffer and its maintenance
    }
    session.touched = now;   // racing touches may both record: harmless
    cache.getIfPresent(session.id());
  }

  @Override
  public ServerSession create() {
    ServerSession session;
    do {
      session = new ServerSession(SessionIds.next(), clock.instant(), this);
      session.touched = ticker.read();
    } while (cache.asMap().putIfAbsent(session.id(), session) != null);
    opened(session);
    return session;
  }

  @Override
  public ServerSession createEncrypted(String id, SecureChannel channel) {
    ServerSession session = new ServerSession(id, clock.instant(), this, channel);
    session.touched = ticker.read();
    if (cache.asMap().putIfAbsent(id, session) != null) {
      return null;
    }
    opened(session);
    return session;
  }

  private void opened(ServerSession session) {
    LOG.debug("session {} opened", session);
    try {
      if (onOpen != null) {
        onOpen.accept(session);
      }
    } catch (RuntimeException e) {
      LOG.warn("onSessionOpen listener failed for {}", session, e);
    }
  }

  @Override
  public void invalidate(String id) {
    cache.invalidate(id);
  }

  @Override
  public long size() {
    return cache.estimatedSize();
  }

  @Override
  public void cleanUp() {
    cache.cleanUp();
  }

  @Override
  public void invalidateAll() {
    cache.invalidateAll();
  }
}
