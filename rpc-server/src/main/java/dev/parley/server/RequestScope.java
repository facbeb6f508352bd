package dev.parley.server;

import dev.parley.CallContext;
import dev.parley.Session;
import dev.parley.crypto.RequestMetadata;
import dev.parley.internal.jsonrpc.CallContextSource;
import dev.parley.internal.jsonrpc.RequestId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * What the calls of one HTTP request share: the request (headers, remote address), the caller's
 * deadline and trace context (PROTOCOL.md §15.4: sealed metadata, or a plain call's headers), the
 * session, and whether the body is a batch. Made once per request with no more work than reading
 * three headers; the per-call {@link ServerCall} only when something asks for a {@link CallContext}.
 */
final class RequestScope implements CallContextSource {
  /** The plain call's deadline header (PROTOCOL.md §15.4). */
  static final String TIMEOUT_HEADER = "Parley-Timeout";
  static final String TRACEPARENT_HEADER = "traceparent";
  static final String TRACESTATE_HEADER = "tracestate";
  /** The answer to a malformed or repeated {@value #TIMEOUT_HEADER} header (400, nothing runs). */
  static final String BAD_TIMEOUT = "The Parley-Timeout header must appear at most once and hold 1 to 10 digits:"
      + " the milliseconds the caller waits, at most 4294967295.";

  /** Module-wide settings for the deadlines of its requests. */
  record Settings(String modulePath, Clock clock, Scheduler scheduler, boolean interruptThreads) {}

  private final Settings settings;
  private final Request request;
  private final boolean encrypted;
  private final Deadline deadline;
  private final Instant deadlineInstant;
  private final String traceparent;
  private final String tracestate;
  private FunctionRegistry registry;
  private Session session;
  private boolean inBatch;
  private List<Interception.Finished> finished;

  private RequestScope(Settings settings, Request request, boolean encrypted, long timeoutMillis, String traceparent,
      String tracestate) {
    this.settings = settings;
    this.request = request;
    this.encrypted = encrypted;
    if (timeoutMillis < 0) {
      this.deadline = null;
      this.deadlineInstant = null;
    } else {
      Scheduler scheduler = settings.scheduler() != null ? settings.scheduler() : request.getComponents().getScheduler();
      this.deadline = new Deadline(request.getBeginNanoTime() + timeoutMillis * 1_000_000L, scheduler,
          request.getComponents().getExecutor(), settings.interruptThreads());
      this.deadlineInstant = settings.clock().instant().plusMillis(timeoutMillis);
    }
    this.traceparent = traceparent;
    this.tracestate = traceparent == null ? null : tracestate;
  }

  /**
   * The scope of a plain call, from its {@code Parley-Timeout}, {@code traceparent} and
   * {@code tracestate} headers (PROTOCOL.md §15.4); null when the timeout header is repeated or
   * malformed (answer {@link #BAD_TIMEOUT}). A bad trace header counts as absent.
   */
  static RequestScope plain(Settings settings, Request request) {
    HttpFields headers = request.getHeaders();
    long timeout = RequestMetadata.NO_TIMEOUT;
    if (headers.contains(TIMEOUT_HEADER)) {   // the lists only when the header is there: most calls cost nothing more
      List<String> timeouts = headers.getValuesList(TIMEOUT_HEADER);
      timeout = timeouts.size() == 1 ? parseTimeout(timeouts.get(0)) : -2;
      if (timeout < 0) {
        return null;
      }
    }
    String parent = null;
    String state = null;
    if (headers.contains(TRACEPARENT_HEADER)) {
      List<String> parents = headers.getValuesList(TRACEPARENT_HEADER);
      parent = parents.size() == 1 && RequestMetadata.isValidValue(parents.get(0)) ? parents.get(0) : null;
      if (parent != null && headers.contains(TRACESTATE_HEADER)) {
        String joined = String.join(",", headers.getValuesList(TRACESTATE_HEADER));
        state = printable(joined) ? joined : null;
      }
    }
    return new RequestScope(settings, request, false, timeout, parent, state);
  }

  /** The scope of a sealed call, from the metadata sealed with it (PROTOCOL.md §15.4); its headers say nothing. */
  static RequestScope sealed(Settings settings, Request request, RequestMetadata metadata) {
    return new RequestScope(settings, request, true, metadata.timeoutMillis(), metadata.traceparent(),
        metadata.tracestate());
  }

  /** 1 to 10 ASCII digits, at most 2^32 − 1; -1 otherwise. */
  static long parseTimeout(String text) {
    String value = text.trim();
    if (value.isEmpty() || value.length() > 10) {
      return -1;
    }
    long millis = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      millis = millis * 10 + (c - '0');
    }
    return millis > RequestMetadata.MAX_TIMEOUT_MILLIS ? -1 : millis;
  }

  private static boolean printable(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return !value.isEmpty();
  }

  /** Set by the dispatcher before the body's calls run. */
  void bind(FunctionRegistry registry, Session session, boolean inBatch) {
    this.registry = registry;
    this.session = session;
    this.inBatch = inBatch;
  }

  @Override
  public CallContext callContext(String function, RequestId id) {
    FunctionRegistry.Target target = registry.get(function);
    return new ServerCall(this, target == null ? "" : target.group().serviceName(), function, id);
  }

  /** Records an intercepted call's outcome until the answer is made (calls of a batch may finish on any thread). */
  synchronized void finished(Interception.Finished call) {
    if (finished == null) {
      finished = new ArrayList<>(1);
    }
    finished.add(call);
  }

  /** The outcomes recorded so far (an empty list when none), and forgets them. */
  synchronized List<Interception.Finished> takeFinished() {
    List<Interception.Finished> calls = finished == null ? List.of() : finished;
    finished = null;
    return calls;
  }

  String modulePath() {
    return settings.modulePath();
  }

  Request request() {
    return request;
  }

  boolean isEncrypted() {
    return encrypted;
  }

  boolean inBatch() {
    return inBatch;
  }

  Session session() {
    return session;
  }

  /** Null when the caller sent no timeout. */
  Deadline deadline() {
    return deadline;
  }

  Instant deadlineInstant() {
    return deadlineInstant;
  }

  String traceparent() {
    return traceparent;
  }

  String tracestate() {
    return tracestate;
  }
}
