package dev.parley;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentMap;

/**
 * A server-side session: the state one client keeps across calls on one module. Plain and encrypted
 * modules both have sessions; the server issues the id, the client sends it back.
 *
 * <p>A remote function reaches its session by declaring a parameter of this type; the server injects
 * it and the client never sends it:
 *
 * <pre>{@code
 * @RemoteFunction public String login(String user, Session session) {
 *   session.attributes().put("user", user);
 *   return "hello " + user;
 * }
 * }</pre>
 *
 * <p>The generated client of an interface keeps such a function's signature, so that it implements
 * the interface, but ignores the {@code Session} argument: the server always injects the caller's
 * own session (the one its client module holds), never one a client names.
 *
 * <p>Sessions are shared by concurrent calls: every method is thread-safe, and {@link #attributes()}
 * is a concurrent map.
 */
public interface Session {
  /** The session id, as carried in the {@code Parley-Session} header. Never a secret. */
  String id();

  /** When the session was created. */
  Instant createdAt();

  /** Application state for this session (for example who logged in). Thread-safe. */
  ConcurrentMap<String, Object> attributes();

  /** The attribute stored under {@code key}, if any and if it is of {@code type}. */
  default <T> Optional<T> attribute(String key, Class<T> type) {
    Object value = attributes().get(key);
    return type.isInstance(value) ? Optional.of(type.cast(value)) : Optional.empty();
  }

  /**
   * Ends the session now: its attributes are cleared, its keys (if encrypted) are zeroed, and the
   * client's next call starts a new session.
   */
  void invalidate();

  /** False once the session has been invalidated or has expired. */
  boolean isValid();
}
