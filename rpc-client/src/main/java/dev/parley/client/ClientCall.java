package dev.parley.client;

import dev.parley.CallOutcome;
import dev.parley.RemoteException;
import dev.parley.RpcTimeoutException;
import dev.parley.crypto.RequestMetadata;
import dev.parley.internal.LazyAttributes;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One outgoing call, as {@link ClientInterceptor}s see it: which function of which module, the
 * timeout it runs under (sent to the server as its deadline), the W3C trace context it carries, and
 * how many HTTP attempts it has made. An interceptor sets the trace context with
 * {@link #traceparent(String)} and {@link #tracestate(String)}; the client sends it with every attempt
 * from then on: as {@code traceparent}/{@code tracestate} headers on a plain call, sealed in the
 * request's metadata block on an encrypted one, whose headers stay free of it (PROTOCOL.md §15.4).
 *
 * <pre>{@code
 * ClientInterceptor tracing = new ClientInterceptor() {
 *   public CompletionStage<?> interceptCall(ClientCall call, Next next) {
 *     Span span = tracer.spanBuilder(call.function()).startSpan();
 *     call.traceparent("00-" + span.getSpanContext().getTraceId() + "-" + span.getSpanContext().getSpanId() + "-01");
 *     return next.proceed().whenComplete((result, failure) -> span.end());
 *   }
 * };
 * }</pre>
 *
 * <p>Thread-safe; one per call (a re-send is an attempt of the same call).
 */
public final class ClientCall extends LazyAttributes {
  private static final Logger LOG = LoggerFactory.getLogger(ClientInterceptor.class);
  private final String function;
  private final boolean notification;
  private final boolean batch;
  private final boolean idempotent;
  private final URI module;
  private final Duration timeout;   // null: none
  private final String timeoutName;
  final ClientInterceptor[] interceptors;
  private volatile String traceparent;
  private volatile String tracestate;
  private volatile int attempts;

  ClientCall(String function, boolean notification, boolean batch, boolean idempotent, URI module, Duration timeout,
      boolean perCall, ClientInterceptor[] interceptors) {
    this.function = function;
    this.notification = notification;
    this.batch = batch;
    this.idempotent = idempotent;
    this.module = module;
    this.timeout = timeout == null || timeout.isZero() ? null : timeout;
    this.timeoutName = perCall ? "the per-call timeout" : "the call timeout";
    this.interceptors = interceptors;
  }

  /** The function's name; {@code "batch of N"} for a batch. */
  public String function() {
    return function;
  }

  /** True for a notification: the server answers no result. */
  public boolean isNotification() {
    return notification;
  }

  /** True for a batch (its calls are not intercepted one by one: the batch is one call here). */
  public boolean isBatch() {
    return batch;
  }

  /** True when the call may be sent once more after an attempt of unknown outcome. */
  public boolean isIdempotent() {
    return idempotent;
  }

  /** The module's URL. */
  public URI moduleUri() {
    return module;
  }

  /**
   * The timeout the call runs under: the stub's or caller's {@code withTimeout}, else the module's
   * {@code callTimeout}; empty when there is none ({@code callTimeout} 0). What is left of it goes
   * with each attempt as the server's deadline.
   */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  /** The W3C {@code traceparent} this call carries, if an interceptor set one. */
  public Optional<String> traceparent() {
    return Optional.ofNullable(traceparent);
  }

  /** The W3C {@code tracestate} this call carries, if an interceptor set one (sent only with a traceparent). */
  public Optional<String> tracestate() {
    return Optional.ofNullable(tracestate);
  }

  /**
   * Sets the W3C {@code traceparent} sent with this call's next attempts (null removes it).
   *
   * @throws IllegalArgumentException {@code value} is empty, longer than 255 characters or not
   *     printable ASCII (its value is not repeated in the message)
   */
  public ClientCall traceparent(String value) {
    this.traceparent = checkTrace("traceparent", value);
    return this;
  }

  /**
   * Sets the W3C {@code tracestate} sent with this call's next attempts, together with a
   * traceparent (null removes it). At most 255 characters: it must fit the sealed metadata block
   * (PROTOCOL.md §15.4); shorten a longer one by W3C's rule before setting it.
   *
   * @throws IllegalArgumentException {@code value} is empty, longer than 255 characters or not printable ASCII
   */
  public ClientCall tracestate(String value) {
    this.tracestate = checkTrace("tracestate", value);
    return this;
  }

  /** How many HTTP attempts the call has started so far (0 before the first). */
  public int attempts() {
    return attempts;
  }

  /** Per-call state for interceptors, for example a span started around the call. Thread-safe. */
  @Override
  public ConcurrentMap<String, Object> attributes() {
    return super.attributes();
  }

  @Override
  public String toString() {
    return "ClientCall[" + function + " at " + module + "]";
  }

  private static String checkTrace(String name, String value) {
    if (value != null && !RequestMetadata.isValidValue(value)) {
      throw new IllegalArgumentException(name + " must be 1 to " + RequestMetadata.MAX_VALUE_LENGTH
          + " characters of printable ASCII (the value given is not shown)");
    }
    return value;
  }

  // --- for the exchanges ---

  /** The budget of this call's attempts: its timeout, named for messages. */
  CallBudget newBudget() {
    return new CallBudget(timeout == null ? Duration.ZERO : timeout, timeoutName, idempotent);
  }

  /** The deadline to send with an attempt: what is left of the budget, in milliseconds; -1 without a timeout. */
  long deadlineMillis(CallBudget budget) {
    if (timeout == null) {
      return RequestMetadata.NO_TIMEOUT;
    }
    long millis = (budget.remainingNanos() + 999_999) / 1_000_000;
    return Math.min(Math.max(1, millis), RequestMetadata.MAX_TIMEOUT_MILLIS);
  }

  /** The sealed metadata of an attempt (PROTOCOL.md §15.4): the deadline and the trace context. */
  RequestMetadata metadata(CallBudget budget) {
    String parent = traceparent;
    long millis = deadlineMillis(budget);
    if (parent == null && millis < 0) {
      return RequestMetadata.NONE;
    }
    return new RequestMetadata(millis, parent, parent == null ? null : tracestate);
  }

  /** Counts an attempt starting and tells the interceptors; returns its number (1 for the first). */
  int attemptStarting() {
    int number;
    synchronized (this) {
      number = ++attempts;
    }
    for (ClientInterceptor interceptor : interceptors) {
      try {
        interceptor.beforeAttempt(this, number);
      } catch (RuntimeException e) {
        LOG.warn("{}.beforeAttempt failed for {} (ignored)", interceptor.getClass().getName(), this, e);
      }
    }
    return number;
  }

  /** Tells the interceptors how attempt {@code number} ended: an HTTP status, or a failure without one. */
  void attemptEnded(int number, int status, Throwable failure) {
    for (ClientInterceptor interceptor : interceptors) {
      try {
        interceptor.afterAttempt(this, number, status, failure);
      } catch (RuntimeException e) {
        LOG.warn("{}.afterAttempt failed for {} (ignored)", interceptor.getClass().getName(), this, e);
      }
    }
  }

  /**
   * The server's -32001 answer (its deadline, our timeout, passed while the function ran) as the
   * timeout exception it is, naming the timeout and its value.
   */
  RpcTimeoutException deadlineExceeded(String url, String what, RemoteException answer) {
    String which = timeout == null ? "a deadline" : timeoutName + " (" + CallBudget.text(timeout) + ")";
    return new RpcTimeoutException(what + " at " + url + " was stopped by the server when " + which
        + " ran out (it answered -32001 " + Objects.toString(answer.getMessage(), "") + "); whether it did part of its"
        + " work is unknown", CallOutcome.UNKNOWN, answer);
  }
}
