package dev.parley.server;

import dev.parley.Session;

/**
 * Events of a {@link ServerModule} that no {@link ServerInterceptor} sees, because no function call
 * is made: handshakes completed and refused, sealed frames refused, sessions opened and closed.
 * Every method has an empty default, so implement only what you need; register it with
 * {@link ServerModule.Builder#listeners}. rpc-micrometer's {@code ParleyServerMetrics} is one.
 *
 * <pre>{@code
 * ServerModule calc = ServerModule.builder("/calc")
 *     .functions(new CalculatorFunctions(new CalculatorImpl()))
 *     .secureKeyFile(Path.of("/run/secrets/calc.key"))
 *     .listeners(new ServerListener() {
 *       @Override public void onHandshakeRejected(String module, Rejection why) {
 *         if (why == Rejection.AUTHENTICATION) alerts.raise(module + ": a client has another SecureKey?");
 *       }
 *     })
 *     .build();
 * }</pre>
 *
 * <p>Methods run on the thread that noticed the event (a Jetty thread serving the request; for
 * {@link #onSessionClosed}, the session store's background thread): keep them short and never
 * block. An exception a method throws is logged at WARN and otherwise ignored; it never changes an
 * answer. The events carry no secret and none of the refused bytes, and a session id is not a
 * secret either (it travels in the {@code Parley-Session} header).
 */
public interface ServerListener {
  /** A handshake completed (msg3 accepted, msg4 sent) and opened an encrypted session on {@code module}. */
  default void onHandshakeCompleted(String module) {}

  /** A handshake message to {@code module} was refused (answered HTTP 403). */
  default void onHandshakeRejected(String module, Rejection reason) {}

  /**
   * A sealed frame to {@code module} was refused and nothing ran: answered HTTP 400 (a bad frame of
   * a session the module holds), 410 ({@link Rejection#UNKNOWN_SESSION}, a session past its age) or
   * 413 (too large).
   */
  default void onFrameRejected(String module, Rejection reason) {}

  /**
   * A session opened on {@code module}: an encrypted one by a completed handshake, a plain one when a
   * function first used its {@link Session}. Runs after the builder's {@code onSessionOpen}.
   */
  default void onSessionOpened(String module, Session session, boolean encrypted) {}

  /**
   * A session of {@code module} ended (expired, evicted or invalidated), before its attributes are
   * cleared. Runs after the builder's {@code onSessionClose}, on a background thread.
   */
  default void onSessionClosed(String module, Session session, boolean encrypted) {}
}
