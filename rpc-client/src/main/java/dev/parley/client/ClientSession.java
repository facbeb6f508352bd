package dev.parley.client;

import dev.parley.crypto.ClientChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One encrypted session on the client: its channel and id, a count of the calls using it (keys
 * zeroed when the last one ends after it was dropped), and whether it must be checked with a ping
 * before a call is sealed on it (PROTOCOL.md §13.4).
 */
final class ClientSession {
  /** Marks a module that fell back to plain calls (a 415 to msg1, not forcing). */
  static final ClientSession PLAIN = new ClientSession(null, null);

  final ClientChannel channel;
  final String sid;
  private final AtomicInteger users = new AtomicInteger();
  private final AtomicBoolean dropped = new AtomicBoolean();
  private final AtomicBoolean destroyed = new AtomicBoolean();
  /** The ping in flight, shared by the calls that wait for it ({@link SessionProbe}). */
  final AtomicReference<CompletableFuture<Void>> probe = new AtomicReference<>();
  /** The auto-login in flight on this session, shared by the calls that wait for it ({@link AutoLogin}). */
  final AtomicReference<CompletableFuture<Void>> login = new AtomicReference<>();
  /** The auto-login succeeded on this session (and {@code resetLogin()} was not called since). */
  volatile boolean loggedIn;
  /** A connection failed (or a 5xx came) since the last verified answer: the server may be gone. */
  volatile boolean suspect;
  private volatile long lastVerified = System.nanoTime();

  ClientSession(ClientChannel channel, String sid) {
    this.channel = channel;
    this.sid = sid;
  }

  boolean acquire() {
    users.incrementAndGet();
    if (dropped.get()) {
      release();
      return false;
    }
    return true;
  }

  void release() {
    if (users.decrementAndGet() == 0 && dropped.get()) {
      destroy();
    }
  }

  /** Returns true for the one caller that dropped it. */
  boolean drop() {
    boolean first = dropped.compareAndSet(false, true);
    if (users.get() == 0) {
      destroy();
    }
    return first;
  }

  boolean isDropped() {
    return dropped.get();
  }

  boolean needsProbe(long idleNanos) {
    return suspect || (idleNanos > 0 && System.nanoTime() - lastVerified >= idleNanos);
  }

  /** An answer sealed by the session's instance arrived: it holds the session. */
  void verified() {
    lastVerified = System.nanoTime();
    if (suspect) {
      suspect = false;
    }
  }

  private void destroy() {
    if (destroyed.compareAndSet(false, true)) {
      channel.destroy();  // PROTOCOL.md §7.2: secrets zeroed when a session ends
    }
  }
}
