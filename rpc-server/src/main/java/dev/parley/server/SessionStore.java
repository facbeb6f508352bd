package dev.parley.server;

import dev.parley.crypto.ServerChannel;

/**
 * Where a module keeps its sessions (docs/SERVER.md "Sessions"). Caffeine ({@link CaffeineSessionStore}) is the
 * embedded default; the interface leaves room for encrypted sessions (which keep their keys in the
 * same store) and for a shared store later. Implementations are thread-safe.
 */
interface SessionStore {
  /** PROTOCOL.md §13.2: how long a retired encrypted session's record is kept. */
  java.time.Duration RETIRED_RETENTION = java.time.Duration.ofSeconds(120);

  /** The live session with {@code id}, counting as an access; null when unknown or expired. */
  ServerSession get(String id);

  /**
   * The live session with {@code id} without counting an access (its idle time keeps running);
   * null when unknown or expired. Sealed calls look up with this and count the access only once
   * their frame authenticated, so forged frames naming a visible sid cannot keep a session alive.
   */
  ServerSession peek(String id);

  /**
   * Counts a use of {@code session}, found with {@link #peek}, as {@link #get} would; the store
   * records it at most once per {@code autoSessionsLive / 1000} (at most once a second), so a
   * session's idle time may start up to that long before its last use. A busy session thus costs
   * one store access per interval, not one per call.
   */
  void touch(ServerSession session);

  /** Creates, stores and returns a new session with a fresh random id. */
  ServerSession create();

  /**
   * Stores a new encrypted session under {@code id} (the handshake's session id) holding
   * {@code channel}, only if no session with that id is live or retired ({@code putIfAbsent},
   * PROTOCOL.md §6.6, §7.1: a replayed msg3 creates no second session, and no client comes back to
   * an id in use). Fires the open listener when stored.
   *
   * @return the new session, or null if {@code id} was already live or retired (the caller destroys
   *     the channel)
   */
  ServerSession createEncrypted(String id, ServerChannel channel);

  /**
   * Removes the session with {@code id} if present; its close listener fires. An encrypted session
   * is retired ({@link ServerSession#retire()}) before it can be missed by a lookup.
   */
  void invalidate(String id);

  /**
   * PROTOCOL.md §13.2: what this store knows of an encrypted session that {@link #peek} did not
   * find. First removes (and so retires) the session if it has expired but was not removed yet, then
   * returns its retirement record if it was retired less than {@link #RETIRED_RETENTION} ago; null
   * when it is not known (never held, or retired longer ago).
   */
  ServerChannel.Retired retired(String id);

  /**
   * True while a retirement record may have been dropped before its time (the store of records was
   * full): a session not found may then have been retired recently, and a reject would not be
   * known to be true (PROTOCOL.md §13.2 step 5).
   */
  boolean forgotRetirements();

  /** Approximately how many sessions are live. */
  long size();

  /** Performs pending maintenance now (expiry, eviction, close events). */
  void cleanUp();

  /** Removes every session; close listeners fire. */
  void invalidateAll();
}
