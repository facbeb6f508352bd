package dev.parley.server;

import dev.parley.Session;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** A session held in a {@link SessionStore}. Thread-safe; shared by concurrent calls. */
final class ServerSession implements Session {
  private final String id;
  private final Instant createdAt;
  private final SessionStore store;
  private final ConcurrentHashMap<String, Object> attributes = new ConcurrentHashMap<>();
  private volatile boolean valid = true;

  ServerSession(String id, Instant createdAt, SessionStore store) {
    this.id = id;
    this.createdAt = createdAt;
    this.store = store;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Instant createdAt() {
    return createdAt;
  }

  @Override
  public ConcurrentMap<String, Object> attributes() {
    return attributes;
  }

  @Override
  public void invalidate() {
    if (valid) {
      valid = false;
      store.invalidate(id);
    }
  }

  /** Called by the store once it has removed this session, after the close listener ran. */
  void closed() {
    valid = false;
    attributes.clear();
  }

  @Override
  public boolean isValid() {
    return valid;
  }

  @Override
  public String toString() {
    return "Session[" + SessionIds.redact(id) + "]";
  }
}
