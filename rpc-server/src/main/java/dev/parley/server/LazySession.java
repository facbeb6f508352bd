package dev.parley.server;

import dev.parley.Session;
import java.time.Instant;
import java.util.concurrent.ConcurrentMap;

/**
 * The {@link Session} handed to the functions of one plain HTTP request. It is the session named by
 * the request's {@code Parley-Session} header when that one is live; otherwise a session is created
 * only when a function first touches this object, and the response then carries its id. Shared by
 * every call of a batch; thread-safe.
 */
final class LazySession implements Session {
  private final SessionStore store;
  private volatile ServerSession session;
  private volatile boolean created;

  LazySession(SessionStore store, ServerSession existing) {
    this.store = store;
    this.session = existing;
  }

  private ServerSession resolve() {
    ServerSession current = session;
    if (current == null) {
      synchronized (this) {
        current = session;
        if (current == null) {
          current = store.create();
          session = current;
          created = true;
        }
      }
    }
    return current;
  }

  /** The session created while serving this request, or null when none was. */
  ServerSession createdSession() {
    return created ? session : null;
  }

  @Override
  public String id() {
    return resolve().id();
  }

  @Override
  public Instant createdAt() {
    return resolve().createdAt();
  }

  @Override
  public ConcurrentMap<String, Object> attributes() {
    return resolve().attributes();
  }

  @Override
  public void invalidate() {
    ServerSession current = session;
    if (current != null) {
      current.invalidate();
    }
  }

  @Override
  public boolean isValid() {
    return resolve().isValid();
  }

  @Override
  public String toString() {
    ServerSession current = session;
    return current == null ? "Session[not yet created]" : current.toString();
  }
}
