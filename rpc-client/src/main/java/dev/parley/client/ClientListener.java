package dev.parley.client;

import java.io.IOException;

/**
 * Events of a {@link ClientModule}'s encrypted session and connection, after RealThinClient's
 * client events. Every method has an empty default, so implement only what you need. Methods run on
 * the thread that noticed the event (a caller's thread or an OkHttp dispatcher thread): keep them
 * short and never call the module from inside them. An exception a method throws is logged and
 * otherwise ignored; it never breaks a call.
 *
 * <pre>{@code
 * ClientModule calc = ClientModule.builder(url)
 *     .secureKeyFile(Path.of("calc.key"))
 *     .listener(new ClientListener() {
 *       @Override public void onWrongSecureKey() { alerts.raise("calc: SecureKey mismatch"); }
 *       @Override public void onRepost(String function) { metrics.increment("calc.repost"); }
 *     })
 *     .build();
 * }</pre>
 */
public interface ClientListener {
  /** A handshake completed: calls now run on the session {@code sid} (base64url, not secret). */
  default void onSessionOpen(String sid) {}

  /**
   * The server no longer knows the session {@code sid} (it expired, was evicted or the server
   * restarted: HTTP 410). The module drops it; the next call runs a new handshake.
   */
  default void onSessionExpired(String sid) {}

  /**
   * The server rejected the handshake (HTTP 403) or its answer failed to authenticate: the
   * SecureKey or key id differs from the server's, or the URL names another module. The call fails
   * with {@link WrongSecureKeyException}.
   */
  default void onWrongSecureKey() {}

  /**
   * A client that forces encryption found a server module that does not encrypt (or does not
   * answer the handshake). The call fails with {@link EncryptionNotSupportedException}.
   */
  default void onEncryptionNotSupported() {}

  /**
   * A client that does not encrypt called a module that requires encryption (HTTP 412). The call
   * fails with {@link EncryptionRequiredException}.
   */
  default void onEncryptionRequired() {}

  /**
   * The call to {@code function} is sent again, sealed anew on a new session, after the old
   * session was gone (HTTP 410). For a batch, {@code function} is {@code "batch of N"}.
   */
  default void onRepost(String function) {}

  /** An exchange failed at the connection level (refused, reset, timed out) with {@code e}. */
  default void onConnectionLost(IOException e) {}

  /**
   * A keep-alive ping ({@link ClientModule.Builder#autoSessionsPing(java.time.Duration)}) found the
   * session {@code sid} held by its server, which renewed its expiry. A ping that finds the session
   * gone fires {@link #onSessionExpired} instead (the next call runs a new handshake), and one that
   * cannot reach the server {@link #onConnectionLost}.
   */
  default void onPing(String sid) {}

  /**
   * The auto-login ({@link ClientModule.Builder#autoLogin(String, Object)}) succeeded on the
   * session {@code sid}; the calls that waited for it are sent now.
   */
  default void onLogin(String sid) {}

  /**
   * The auto-login on the session {@code sid} failed with {@code failure} (a
   * {@link dev.parley.RemoteException} when the server refused it); the calls that waited for it
   * fail with {@link LoginFailedException}, and the next call tries again.
   */
  default void onLoginFailed(String sid, dev.parley.RpcException failure) {}
}
