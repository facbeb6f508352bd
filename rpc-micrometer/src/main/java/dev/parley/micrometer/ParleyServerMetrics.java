package dev.parley.micrometer;

import dev.parley.CallContext;
import dev.parley.Session;
import dev.parley.server.CallResult;
import dev.parley.server.Rejection;
import dev.parley.server.ServerInterceptor;
import dev.parley.server.ServerListener;
import dev.parley.server.ServerModule;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Micrometer metrics of Parley server modules: a {@link ServerInterceptor} for the calls and a
 * {@link ServerListener} for what no call shows (handshakes, refused handshakes and frames,
 * sessions). Register one instance on every module it should measure with
 * {@link #instrument(ServerModule.Builder)}; the module path is a tag, so one instance serves many
 * modules.
 *
 * <pre>{@code
 * MeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * ParleyServerMetrics metrics = ParleyServerMetrics.builder(registry).tags("app", "shop").build();
 * ServerModule calc = metrics.instrument(ServerModule.builder("/calc")
 *     .functions(new CalculatorFunctions(new CalculatorImpl())))
 *     .build();
 * }</pre>
 *
 * <table>
 *   <caption>The meters (docs/OPERATIONS.md "Metrics")</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code parley.server.calls}</td><td>timer</td><td>module, function, outcome</td>
 *       <td>every call (a call inside a batch counts once); {@code outcome} is {@code success} or
 *       {@code error}; the time from the first interceptor to the outcome; a percentile histogram
 *       unless turned off</td></tr>
 *   <tr><td>{@code parley.server.errors}</td><td>counter</td><td>module, function, code</td>
 *       <td>calls answered with a JSON-RPC error, by its code (for example {@code -32000},
 *       {@code 4000})</td></tr>
 *   <tr><td>{@code parley.server.request.size}, {@code parley.server.response.size}</td>
 *       <td>distribution summary (bytes)</td><td>module, function</td>
 *       <td>body sizes on the wire, where known (not for calls inside a batch, nor chunked
 *       requests)</td></tr>
 *   <tr><td>{@code parley.server.handshakes}</td><td>counter</td><td>module</td>
 *       <td>completed handshakes (new encrypted sessions)</td></tr>
 *   <tr><td>{@code parley.server.rejects}</td><td>counter</td><td>module, kind, reason</td>
 *       <td>refused handshake messages ({@code kind=handshake}) and sealed frames
 *       ({@code kind=frame}), by {@link Rejection#tag() reason}</td></tr>
 *   <tr><td>{@code parley.server.sessions}</td><td>gauge</td><td>module</td>
 *       <td>live sessions, plain and encrypted, opened since the module was built</td></tr>
 * </table>
 *
 * <p>The {@code function} tag is the name of a function the module serves: a call to an unknown
 * name is answered before any interceptor runs, so callers cannot add tag values at will. Every
 * meter also carries the builder's common tags. Thread-safe.
 */
public final class ParleyServerMetrics implements ServerInterceptor, ServerListener {
  private final MeterRegistry registry;
  private final Tags common;
  private final boolean histogram;
  private final Map<CallKey, Timer> calls = new ConcurrentHashMap<>();
  private final Map<ErrorKey, Counter> errors = new ConcurrentHashMap<>();
  private final Map<CallKey, DistributionSummary[]> sizes = new ConcurrentHashMap<>();
  private final Map<String, Counter> handshakes = new ConcurrentHashMap<>();
  private final Map<RejectKey, Counter> rejects = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> sessions = new ConcurrentHashMap<>();

  private record CallKey(String module, String function, boolean success) {}

  private record ErrorKey(String module, String function, int code) {}

  private record RejectKey(String module, boolean handshake, Rejection reason) {}

  private ParleyServerMetrics(Builder builder) {
    this.registry = builder.registry;
    this.common = builder.tags;
    this.histogram = builder.histogram;
  }

  /** Metrics into {@code registry}, with no common tags and the latency histogram on. */
  public static ParleyServerMetrics of(MeterRegistry registry) {
    return builder(registry).build();
  }

  /** Starts a builder for metrics into {@code registry}. */
  public static Builder builder(MeterRegistry registry) {
    return new Builder(registry);
  }

  /**
   * Registers these metrics on {@code module} as interceptor and listener, and returns it:
   * {@code module.interceptors(this).listeners(this)}. Register it before other interceptors to
   * time them too.
   */
  public ServerModule.Builder instrument(ServerModule.Builder module) {
    Objects.requireNonNull(module, "module == null");
    return module.interceptors(this).listeners(this);
  }

  /** Passes the call on unchanged; the measuring is done in {@link #onComplete}. */
  @Override
  public CompletionStage<?> intercept(CallContext call, Next next) {
    return next.proceed();
  }

  @Override
  public void onComplete(CallContext call, CallResult result) {
    String module = call.modulePath();
    String function = call.function();
    boolean success = result.succeeded();
    CallKey key = new CallKey(module, function, success);
    calls.computeIfAbsent(key, k -> Timer.builder("parley.server.calls")
            .description("Calls of the module's functions, by outcome")
            .tags(common).tag("module", module).tag("function", function).tag("outcome", success ? "success" : "error")
            .publishPercentileHistogram(histogram)
            .register(registry))
        .record(result.duration());
    if (!success) {
      errors.computeIfAbsent(new ErrorKey(module, function, result.errorCode()), k -> Counter.builder("parley.server.errors")
              .description("Calls answered with a JSON-RPC error, by code")
              .tags(common).tag("module", module).tag("function", function).tag("code", String.valueOf(k.code()))
              .register(registry))
          .increment();
    }
    if (result.requestBytes() >= 0 || result.responseBytes() >= 0) {
      DistributionSummary[] summaries = sizes.computeIfAbsent(new CallKey(module, function, true), k ->
          new DistributionSummary[] {size("parley.server.request.size", "Request body sizes on the wire", k),
              size("parley.server.response.size", "Response body sizes on the wire", k)});
      if (result.requestBytes() >= 0) {
        summaries[0].record(result.requestBytes());
      }
      if (result.responseBytes() >= 0) {
        summaries[1].record(result.responseBytes());
      }
    }
  }

  private DistributionSummary size(String name, String description, CallKey key) {
    return DistributionSummary.builder(name).description(description).baseUnit("bytes")
        .tags(common).tag("module", key.module()).tag("function", key.function())
        .register(registry);
  }

  @Override
  public void onHandshakeCompleted(String module) {
    handshakes.computeIfAbsent(module, m -> Counter.builder("parley.server.handshakes")
            .description("Completed handshakes: new encrypted sessions")
            .tags(common).tag("module", m)
            .register(registry))
        .increment();
  }

  @Override
  public void onHandshakeRejected(String module, Rejection reason) {
    reject(new RejectKey(module, true, reason));
  }

  @Override
  public void onFrameRejected(String module, Rejection reason) {
    reject(new RejectKey(module, false, reason));
  }

  private void reject(RejectKey key) {
    rejects.computeIfAbsent(key, k -> Counter.builder("parley.server.rejects")
            .description("Refused handshake messages and sealed frames, by reason")
            .tags(common).tag("module", k.module()).tag("kind", k.handshake() ? "handshake" : "frame")
            .tag("reason", k.reason().tag())
            .register(registry))
        .increment();
  }

  @Override
  public void onSessionOpened(String module, Session session, boolean encrypted) {
    live(module).incrementAndGet();
  }

  @Override
  public void onSessionClosed(String module, Session session, boolean encrypted) {
    live(module).decrementAndGet();
  }

  private AtomicLong live(String module) {
    return sessions.computeIfAbsent(module, m -> {
      AtomicLong count = new AtomicLong();
      Gauge.builder("parley.server.sessions", count, AtomicLong::get)
          .description("Live sessions of the module")
          .tags(common).tag("module", m)
          .strongReference(true)
          .register(registry);
      return count;
    });
  }

  /**
   * Builds {@link ParleyServerMetrics}.
   *
   * <pre>{@code
   * ParleyServerMetrics metrics = ParleyServerMetrics.builder(registry)
   *     .tags("app", "shop", "region", "eu")
   *     .percentileHistogram(false)     // only count, sum and max of the call timer
   *     .build();
   * }</pre>
   */
  public static final class Builder extends MetricsBuilder<Builder> {
    private Builder(MeterRegistry registry) {
      super(registry);
    }

    @Override
    Builder self() {
      return this;
    }

    /** Builds the metrics; nothing is registered until the first event. */
    public ParleyServerMetrics build() {
      return new ParleyServerMetrics(this);
    }
  }
}
