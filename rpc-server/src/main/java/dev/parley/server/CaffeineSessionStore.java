package dev.parley.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.parley.Session;
import dev.parley.crypto.ServerChannel;
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
 * <p>An encrypted session is retired (PROTOCOL.md §13.2) inside the atomic operation that removes
 * it, before a lookup can miss it: by Caffeine's eviction listener for expiry and size, and inside
 * {@code compute} for {@link #invalidate}. Its record stays in a second, bounded cache for
 * {@link SessionStore#RETIRED_RETENTION}; if that cache ever has to drop a record early,
 * {@link #forgotRetirements()} is true for a retention period.
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

  /** The most retirement records kept at once, whatever maxSessions is. */
  static final long MIN_RETIRED_RECORDS = 10_000;

  private final Cache<String, ServerSession> cache;
  private final Cache<String, ServerChannel.Retired> retired;
  private final long retentionNanos;
  /** Ticker reading before which a record may have been dropped early (§13.2 step 5). */
  private volatile long unsureUntil;
  private final Consumer<Session> onOpen;
  private final Clock clock;
  private final Ticker ticker;
  private final long touchIntervalNanos;

  CaffeineSessionStore(Duration live, long maxSessions, Consumer<Session> onOpen, Consumer<Session> onClose,
      Ticker ticker, Executor executor, boolean systemScheduler, Clock clock) {
    this(live, maxSessions, Math.max(maxSessions, MIN_RETIRED_RECORDS), onOpen, onClose, ticker, executor,
        systemScheduler, clock);
  }

  /** With {@code retiredRecords}: the most retirement records kept (tests make it small). */
  CaffeineSessionStore(Duration live, long maxSessions, long retiredRecords, Consumer<Session> onOpen,
      Consumer<Session> onClose, Ticker ticker, Executor executor, boolean systemScheduler, Clock clock) {
    this.onOpen = onOpen;
    this.clock = clock;
    this.ticker = ticker == null ? Ticker.systemTicker() : ticker;
    this.touchIntervalNanos = Math.min(MAX_TOUCH_INTERVAL_NANOS, live.toNanos() / 1000);
    this.retentionNanos = RETIRED_RETENTION.toNanos();
    this.unsureUntil = this.ticker.read() - 1;
    this.retired = configured(Caffeine.newBuilder(), ticker, executor, false)
        .expireAfterWrite(RETIRED_RETENTION)
        .maximumSize(retiredRecords)
        .<String, ServerChannel.Retired>evictionListener((id, record, cause) -> {
          if (cause == RemovalCause.SIZE) {
            forgotOne();
          }
        })
        .build();
    this.cache = configured(Caffeine.newBuilder(), ticker, executor, systemScheduler)
        .expireAfterAccess(live)
        .maximumSize(maxSessions)
        // Synchronous, inside the atomic removal: expiry and size eviction retire the session
        // before any lookup can miss it (PROTOCOL.md §13.2).
        .<String, ServerSession>evictionListener((id, session, cause) -> retire(session))
        .removalListener((id, session, cause) -> removed(session, cause, onClose))
        .build();
  }

  private static Caffeine<Object, Object> configured(Caffeine<Object, Object> builder, Ticker ticker, Executor executor,
      boolean systemScheduler) {
    if (ticker != null) {
      builder.ticker(ticker);
    }
    if (executor != null) {
      builder.executor(executor);
    }
    if (systemScheduler) {
      builder.scheduler(Scheduler.systemScheduler());
    }
    return builder;
  }

  /** PROTOCOL.md §13.2 step 3: the session accepts nothing more, and its record is kept. */
  private void retire(ServerSession session) {
    if (session == null) {
      return;
    }
    ServerChannel.Retired record = session.retire();
    if (record != null) {
      retired.put(session.id(), record);
    }
  }

  private void forgotOne() {
    long until = ticker.read() + retentionNanos;
    if (until - unsureUntil > 0) {
      unsureUntil = until;   // racing writers both move it forward by about the same amount
    }
    LOG.warn("a retired session's record was dropped early (more than {} sessions retired within {});"
        + " for that long, frames of unknown sessions get an unverifiable 410", retired.policy().eviction()
        .map(e -> e.getMaximum()).orElse(0L), RETIRED_RETENTION);
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
  public ServerSession createEncrypted(String id, ServerChannel channel) {
    if (retired.getIfPresent(id) != null) {
      return null;   // PROTOCOL.md §7.1: an id that was in use is not given out again
    }
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
    // Retired inside the atomic removal (an expired entry is retired by the eviction listener instead).
    cache.asMap().computeIfPresent(id, (key, session) -> {
      retire(session);
      return null;
    });
  }

  @Override
  public ServerChannel.Retired retired(String id) {
    // An entry past its expiry but not yet removed is invisible to peek(), yet a frame opened just
    // before may still be marked in it: compute removes it now, through the eviction listener.
    cache.asMap().compute(id, (key, session) -> session);
    return retired.getIfPresent(id);
  }

  @Override
  public boolean forgotRetirements() {
    return ticker.read() - unsureUntil < 0;
  }

  @Override
  public long size() {
    return cache.estimatedSize();
  }

  @Override
  public void cleanUp() {
    cache.cleanUp();
    retired.cleanUp();
  }

  @Override
  public void invalidateAll() {
    for (String id : cache.asMap().keySet()) {
      invalidate(id);
    }
  }
}
