package dev.parley.testing;

import dev.parley.Session;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * An in-memory {@link Session}, for unit-testing a function that takes a {@code Session} without a
 * server: call the function directly, as the server would, and look at the attributes.
 *
 * <pre>{@code
 * @Test void loginRemembersTheUser() {
 *   TestSession session = new TestSession();
 *   assertEquals("hello ann", new AccountsImpl().login("ann", session));
 *   assertEquals(Optional.of("ann"), session.attribute("user", String.class));
 * }
 * }</pre>
 *
 * <p>Like a server's session, {@link #invalidate()} clears the attributes and makes
 * {@link #isValid()} false; nothing expires by itself. Thread-safe.
 */
public final class TestSession implements Session {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String id;
  private final Instant createdAt;
  private final ConcurrentMap<String, Object> attributes = new ConcurrentHashMap<>();
  private volatile boolean valid = true;

  /** A session with a new random id of the server's form (22 base64url characters), created now. */
  public TestSession() {
    this(randomId(), Instant.now());
  }

  /** A session with the given id and creation time. */
  public TestSession(String id, Instant createdAt) {
    this.id = Objects.requireNonNull(id, "id == null");
    this.createdAt = Objects.requireNonNull(createdAt, "createdAt == null");
  }

  private static String randomId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
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

  /** Ends the session: clears its attributes; {@link #isValid()} is false from now on. */
  @Override
  public void invalidate() {
    valid = false;
    attributes.clear();
  }

  @Override
  public boolean isValid() {
    return valid;
  }

  @Override
  public String toString() {
    return "TestSession[" + id + (valid ? "" : ", invalidated") + "]";
  }
}
