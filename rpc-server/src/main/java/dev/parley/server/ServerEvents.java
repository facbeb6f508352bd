package dev.parley.server;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.parley.Session;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One module's events: tells its {@link ServerListener}s (logging and swallowing what they throw)
 * and writes the rate-limited INFO lines of {@link RejectLog} about refused handshakes and frames.
 */
final class ServerEvents {
  private static final Logger LOG = LoggerFactory.getLogger(ServerModule.class);

  private final String module;
  private final ServerListener[] listeners;
  private final RejectLog rejects;

  /** @param ticker the clock of the rate limit (the module's session ticker) */
  ServerEvents(String module, List<ServerListener> listeners, Ticker ticker) {
    this.module = module;
    this.listeners = listeners.toArray(ServerListener[]::new);
    this.rejects = new RejectLog(module, ticker, LOG::info);
  }

  private void fire(String event, Consumer<ServerListener> call) {
    for (ServerListener listener : listeners) {
      try {
        call.accept(listener);
      } catch (RuntimeException e) {
        LOG.warn("ServerListener.{} on {} threw; ignored", event, module, e);
      }
    }
  }

  void handshakeCompleted() {
    fire("onHandshakeCompleted", l -> l.onHandshakeCompleted(module));
  }

  void handshakeRejected(Rejection reason) {
    rejects.rejected(RejectLog.Kind.HANDSHAKE, reason);
    fire("onHandshakeRejected", l -> l.onHandshakeRejected(module, reason));
  }

  void frameRejected(Rejection reason) {
    rejects.rejected(RejectLog.Kind.FRAME, reason);
    fire("onFrameRejected", l -> l.onFrameRejected(module, reason));
  }

  /** {@code then} (the builder's own listener, or null) first, as before, then the listeners, even if it threw. */
  Consumer<Session> onOpen(Consumer<Session> then) {
    return thenFire(then, "onSessionOpened", ServerListener::onSessionOpened);
  }

  /** {@code then} (the builder's own listener, or null) first, as before, then the listeners, even if it threw. */
  Consumer<Session> onClose(Consumer<Session> then) {
    return thenFire(then, "onSessionClosed", ServerListener::onSessionClosed);
  }

  /** A listener method about one session: {@code onSessionOpened} or {@code onSessionClosed}. */
  private interface SessionEvent {
    void tell(ServerListener listener, String module, Session session, boolean encrypted);
  }

  private Consumer<Session> thenFire(Consumer<Session> then, String event, SessionEvent tell) {
    if (listeners.length == 0) {
      return then;
    }
    return session -> {
      try {
        if (then != null) {
          then.accept(session);
        }
      } finally {
        boolean encrypted = ((ServerSession) session).isEncrypted();
        fire(event, l -> tell.tell(l, module, session, encrypted));
      }
    };
  }
}
