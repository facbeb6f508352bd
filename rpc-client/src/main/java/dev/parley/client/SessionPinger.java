package dev.parley.client;

import dev.parley.internal.DaemonTimer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * RTC's AutoSessionsPing (docs/CLIENT.md "Keep-alive pings"): once every period, the encrypted
 * session is pinged (an empty sealed request, PROTOCOL.md §15.4, which runs nothing on the server
 * and renews the session's expiry there) unless a call was sealed on it during that period. So an
 * idle session costs one ping per period and a busy one none. No session is opened for it: before
 * the first call, and after a session was dropped, nothing is sent.
 */
final class SessionPinger implements AutoCloseable {
  private static final ScheduledThreadPoolExecutor TIMER = DaemonTimer.create("parley-session-pings");

  private final SealedExchange exchange;
  private final Events events;
  private final ScheduledFuture<?> task;
  /** The ping sent last: done once its event has fired. Only the timer thread writes it. */
  private volatile CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);

  SessionPinger(SealedExchange exchange, Duration period, Events events) {
    this.exchange = exchange;
    this.events = events;
    long nanos = period.toNanos();
    this.task = TIMER.scheduleWithFixedDelay(this::tick, nanos, nanos, TimeUnit.NANOSECONDS);
  }

  /** One period ended: ping the session if no call used it and the last ping has ended. */
  void tick() {
    if (!inFlight.isDone()) {
      return;   // one ping at a time: a slow answer does not pile pings up
    }
    if (exchange.sealedSinceTick) {
      exchange.sealedSinceTick = false;
      return;
    }
    ClientSession session = exchange.handshaker().currentSession();
    if (session == null) {
      return;
    }
    CompletableFuture<Void> ping = new CompletableFuture<>();
    inFlight = ping;
    exchange.ping(session).whenComplete((held, failure) -> {
      try {
        if (failure == null && !session.isDropped()) {
          events.ping(session.sid);
        }
        // A dropped session was reported (onSessionExpired) and a failure (onConnectionLost) already.
      } finally {
        ping.complete(null);
      }
    });
  }

  @Override
  public void close() {
    task.cancel(false);
  }
}
