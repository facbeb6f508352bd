package dev.parley.server;

import dev.parley.Session;
import dev.parley.crypto.ServerChannel;
import dev.parley.internal.LazyAttributes;
import java.time.Instant;

/**
 * A session held in a {@link SessionStore}. Thread-safe; shared by concurrent calls.
 *
 * <p>An encrypted session (created by an accepted msg3, PROTOCOL.md §6.6) also holds its
 * {@link ServerChannel}. Sealed calls {@link #enter()} before opening a frame and {@link #exit()}
 * after sealing the answer; when the store removes the session its keys are zeroed at once if no
 * sealed call is running, else as soon as the last one has sealed its answer (so a function that
 * calls {@link #invalidate()}, e.g. a logout, still gets its answer delivered).
 */
final class ServerSession extends LazyAttributes implements Session {
  private final String id;
  private final Instant createdAt;
  private final SessionStore store;
  private final ServerChannel channel;
  private volatile boolean valid = true;
  /** The store's ticker reading when a use of this session was last recorded ({@link SessionStore#touch}). */
  volatile long touched;
  private int inFlight;      // guarded by this
  private boolean closed;    // guarded by this
  /** Set once by {@link #retire()}: what the session accepted (PROTOCOL.md §13.2). */
  private volatile ServerChannel.Retired retired;

  ServerSession(String id, Instant createdAt, SessionStore store) {
    this(id, createdAt, store, null);
  }

  ServerSession(String id, Instant createdAt, SessionStore store, ServerChannel channel) {
    this.id = id;
    this.createdAt = createdAt;
    this.store = store;
    this.channel = channel;
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
  public void invalidate() {
    if (valid) {
      valid = false;
      store.invalidate(id);
    }
  }

  /** True for a session created by a handshake (it holds a {@link ServerChannel}). */
  boolean isEncrypted() {
    return channel != null;
  }

  /** The session's channel; null for a plain session. */
  ServerChannel channel() {
    return channel;
  }

  /**
   * PROTOCOL.md §13.2 step 3: stops the session from accepting frames (one being opened now fails
   * its replay mark and never runs) and returns the record of what it accepted. Called by the store
   * inside the atomic removal, before the session can be missed by a lookup. Idempotent; null for a
   * plain session.
   */
  ServerChannel.Retired retire() {
    if (channel == null) {
      return null;
    }
    synchronized (this) {
      if (retired == null) {
        retired = channel.retire();
      }
      return retired;
    }
  }

  /** The record made by {@link #retire()}, or null while the session is live. */
  ServerChannel.Retired retired() {
    return retired;
  }

  /** Registers a sealed call; false if the session was already removed (answer as unknown). */
  synchronized boolean enter() {
    if (closed) {
      return false;
    }
    inFlight++;
    return true;
  }

  /** Ends a sealed call registered with {@link #enter()}. */
  void exit() {
    boolean destroy;
    synchronized (this) {
      inFlight--;
      destroy = closed && inFlight == 0;
    }
    if (destroy) {
      channel.destroy();
    }
  }

  /** Called by the store once it has removed this session, after the close listener ran. */
  void closed() {
    valid = false;
    clearAttributes();
    if (channel != null) {
      boolean destroy;
      synchronized (this) {
        closed = true;
        destroy = inFlight == 0;
      }
      if (destroy) {
        channel.destroy();  // PROTOCOL.md §7.2: secrets zeroed when a session ends
      }
    }
  }

  @Override
  public boolean isValid() {
    return valid;
  }

  @Override
  public String toString() {
    return (channel == null ? "Session[" : "EncryptedSession[") + SessionIds.redact(id) + "]";
  }
}
