package dev.parley;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;

/**
 * What the server knows about one incoming call besides its parameters: which function of which
 * module, the JSON-RPC id, the HTTP request's headers and the caller's address, the caller's
 * deadline and trace context, and the session. A call inside a batch has its own context (its own
 * function and id; the rest is the batch's).
 *
 * <p>A remote function reaches it by declaring a parameter of this type, exactly as it reaches its
 * {@link Session}: the server injects it and the client never sends it. Server interceptors
 * ({@code dev.parley.server.ServerInterceptor}) receive it too.
 *
 * <pre>{@code
 * @RemoteFunction public Report report(int year, CallContext call) {
 *   log.info("report for {} asked by {} (call {})", year, call.remoteAddress().orElse(null), call.callId().orElse("-"));
 *   call.deadline().ifPresent(planner::finishBefore);
 *   return build(year);   // its thread is interrupted when the caller's deadline passes
 * }
 * }</pre>
 *
 * <p><b>Only the body is authenticated.</b> On an encrypted call the function, id, parameters,
 * deadline and trace context come from the sealed plaintext, which nobody on the path can change
 * (PROTOCOL.md §15.4); the HTTP headers and the remote address do not: anyone between client and
 * server may have added, removed, repeated or changed a header, and the address is that of the last
 * hop (a proxy's behind a proxy). Never base a security decision on them. On a plain call nothing is
 * authenticated.
 *
 * <p>Thread-safe; valid while the call runs (and in an interceptor's completion hook).
 */
public interface CallContext {
  /** The path of the module that serves the call, for example {@code /calc}. */
  String modulePath();

  /** The name of the function group (its {@link RemoteFunctions#serviceName()}) that serves the call. */
  String serviceName();

  /** The function's wire name, as the request named it. */
  String function();

  /**
   * The JSON-RPC id as JSON text, for example {@code 7} or {@code "a-7"} (a string id keeps its
   * quotes, so it cannot be mistaken for a number, and is escaped as JSON escapes it); empty for a
   * notification, which gets no answer.
   */
  Optional<String> callId();

  /** True for a notification (a request without an id): its outcome is not answered. */
  default boolean isNotification() {
    return callId().isEmpty();
  }

  /** True when the call is one entry of a JSON-RPC batch. */
  boolean inBatch();

  /** True when the call came sealed on an encrypted session (PROTOCOL.md §15.3). */
  boolean isEncrypted();

  /**
   * The first value of the HTTP request header {@code name} (case-insensitive), if present.
   * <b>Not authenticated</b>, also on an encrypted call (see the class comment).
   */
  Optional<String> header(String name);

  /** Every value of the HTTP request header {@code name}, in order; empty when absent. Not authenticated. */
  List<String> headerValues(String name);

  /** The names of the HTTP request's headers. Not authenticated. */
  Set<String> headerNames();

  /**
   * The address of the connection's peer: the caller, or the last proxy before the server. Empty
   * when the connection is not over IP. Not authenticated.
   */
  Optional<InetSocketAddress> remoteAddress();

  /**
   * When the caller stops waiting: the moment the request arrived plus the timeout the caller sent
   * (PROTOCOL.md §15.4: inside the sealed plaintext of an encrypted call, the
   * {@code Parley-Timeout} header of a plain one). Empty when the caller sent none. When it passes,
   * the server interrupts the function's thread (a synchronous function) or cancels its future (an
   * asynchronous one) and answers {@link RemoteException#DEADLINE_EXCEEDED}.
   */
  Optional<Instant> deadline();

  /** The caller's session, as a {@link Session} parameter would receive it. */
  Session session();

  /**
   * The W3C Trace Context {@code traceparent} the caller sent: sealed with an encrypted call, the
   * {@code traceparent} header of a plain one (a header that is repeated, empty, longer than 255
   * characters or not printable ASCII counts as absent).
   */
  Optional<String> traceparent();

  /**
   * The W3C {@code tracestate} the caller sent (a plain call's repeated headers joined with
   * {@code ,}); empty without a {@link #traceparent()}, as W3C Trace Context requires.
   */
  Optional<String> tracestate();

  /**
   * Per-call state for interceptors and the function, for example a span an interceptor started
   * and its completion hook ends. Thread-safe; gone with the call.
   */
  ConcurrentMap<String, Object> attributes();
}
