package dev.parley.micrometer;

import dev.parley.RemoteException;
import dev.parley.RpcTimeoutException;
import dev.parley.TransportException;
import dev.parley.client.ClientCall;
import dev.parley.client.ClientInterceptor;
import dev.parley.client.ClientListener;
import dev.parley.client.ClientModule;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer metrics of one Parley client module: a {@link ClientInterceptor} for its calls (count,
 * latency, errors by code) and a {@link ClientListener} for its session and connection events.
 * Each client module gets its own instance, named by the {@code client} tag; {@link #instrument}
 * registers it as both.
 *
 * <pre>{@code
 * ParleyClientMetrics metrics = ParleyClientMetrics.builder(registry, "calc").build();
 * ClientModule module = metrics.instrument(ClientModule.builder("https://calc.example/calc")
 *     .secureKeyFile(Path.of("calc.key")))
 *     .build();
 * }</pre>
 *
 * <table>
 *   <caption>The meters (docs/OPERATIONS.md "Metrics")</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code parley.client.calls}</td><td>timer</td><td>client, function, outcome</td>
 *       <td>every call and notification, from the call to its outcome, re-handshakes and re-sends
 *       included (not the calls of a {@code Batch}: rpc-client intercepts a batch's attempts
 *       only); {@code outcome} is
 *       {@code success}, {@code error} (a JSON-RPC error answer), {@code timeout}
 *       ({@link RpcTimeoutException}) or {@code transport} (another {@link TransportException} or
 *       failure); a percentile histogram unless turned off</td></tr>
 *   <tr><td>{@code parley.client.errors}</td><td>counter</td><td>client, function, code</td>
 *       <td>calls answered with a JSON-RPC error, by code (a declared typed error counts with its
 *       code)</td></tr>
 *   <tr><td>{@code parley.client.handshakes}</td><td>counter</td><td>client</td>
 *       <td>completed handshakes: new encrypted sessions</td></tr>
 *   <tr><td>{@code parley.client.sessions.expired}</td><td>counter</td><td>client</td>
 *       <td>sessions the server no longer knew (HTTP 410)</td></tr>
 *   <tr><td>{@code parley.client.reposts}</td><td>counter</td><td>client</td>
 *       <td>calls sent again on a new session after the old one was gone</td></tr>
 *   <tr><td>{@code parley.client.handshake.refusals}</td><td>counter</td><td>client</td>
 *       <td>handshakes the server refused or that did not authenticate (another SecureKey)</td></tr>
 *   <tr><td>{@code parley.client.connection.failures}</td><td>counter</td><td>client</td>
 *       <td>exchanges that failed at the connection level (refused, reset, timed out)</td></tr>
 * </table>
 *
 * <p>Thread-safe.
 */
public final class ParleyClientMetrics implements ClientInterceptor, ClientListener {
  private final MeterRegistry registry;
  private final Tags common;
  private final boolean histogram;
  private final Map<CallKey, Timer> calls = new ConcurrentHashMap<>();
  private final Map<ErrorKey, Counter> errors = new ConcurrentHashMap<>();
  private final Counter handshakes;
  private final Counter expired;
  private final Counter reposts;
  private final Counter refusals;
  private final Counter connectionFailures;

  private record CallKey(String function, String outcome) {}

  private record ErrorKey(String function, int code) {}

  private ParleyClientMetrics(Builder builder) {
    this.registry = builder.registry;
    this.common = builder.tags.and("client", builder.name);
    this.histogram = builder.histogram;
    this.handshakes = counter("parley.client.handshakes", "Completed handshakes: new encrypted sessions");
    this.expired = counter("parley.client.sessions.expired", "Sessions the server no longer knew (HTTP 410)");
    this.reposts = counter("parley.client.reposts", "Calls sent again on a new session");
    this.refusals = counter("parley.client.handshake.refusals", "Handshakes refused or not authenticated");
    this.connectionFailures = counter("parley.client.connection.failures", "Exchanges failed at the connection level");
  }

  private Counter counter(String name, String description) {
    return Counter.builder(name).description(description).tags(common).register(registry);
  }

  /** Starts a builder for the metrics of the client {@code name} (the {@code client} tag, for example {@code calc}). */
  public static Builder builder(MeterRegistry registry, String name) {
    return new Builder(registry, name);
  }

  /**
   * Registers these metrics on {@code module} as interceptor and listener, and returns it:
   * {@code module.interceptors(this).listener(this)}. A client module takes one
   * {@link ClientListener}: to have your own as well, call these metrics' listener methods from it
   * and register only the interceptor ({@code module.interceptors(metrics)}).
   */
  public ClientModule.Builder instrument(ClientModule.Builder module) {
    Objects.requireNonNull(module, "module == null");
    return module.interceptors(this).listener(this);
  }

  /** Times the call; the future it returns completes once the call is recorded. */
  @Override
  public CompletionStage<?> interceptCall(ClientCall call, Next next) {
    String function = call.isBatch() ? "batch" : call.function();   // should rpc-client ever intercept batches
    long start = registry.config().clock().monotonicTime();
    return next.proceed().whenComplete((result, failure) -> record(function, start, failure));
  }

  private void record(String function, long startNanos, Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    String outcome;
    if (cause == null) {
      outcome = "success";
    } else if (cause instanceof RemoteException remote) {
      outcome = "error";
      errors.computeIfAbsent(new ErrorKey(function, remote.code()), k -> Counter.builder("parley.client.errors")
              .description("Calls answered with a JSON-RPC error, by code")
              .tags(common).tag("function", k.function()).tag("code", String.valueOf(k.code()))
              .register(registry))
          .increment();
    } else if (cause instanceof RpcTimeoutException) {
      outcome = "timeout";
    } else {
      outcome = "transport";   // a TransportException, or a failure before anything was sent
    }
    long nanos = registry.config().clock().monotonicTime() - startNanos;
    calls.computeIfAbsent(new CallKey(function, outcome), k -> Timer.builder("parley.client.calls")
            .description("Calls made by the client, by outcome")
            .tags(common).tag("function", k.function()).tag("outcome", k.outcome())
            .publishPercentileHistogram(histogram)
            .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void onSessionOpen(String sid) {
    handshakes.increment();
  }

  @Override
  public void onSessionExpired(String sid) {
    expired.increment();
  }

  @Override
  public void onWrongSecureKey() {
    refusals.increment();
  }

  @Override
  public void onRepost(String function) {
    reposts.increment();
  }

  @Override
  public void onConnectionLost(IOException e) {
    connectionFailures.increment();
  }

  /**
   * Builds {@link ParleyClientMetrics}.
   *
   * <pre>{@code
   * ParleyClientMetrics metrics = ParleyClientMetrics.builder(registry, "calc")
   *     .tags("app", "shop")
   *     .percentileHistogram(false)
   *     .build();
   * }</pre>
   */
  public static final class Builder extends MetricsBuilder<Builder> {
    private final String name;

    private Builder(MeterRegistry registry, String name) {
      super(registry);
      this.name = Objects.requireNonNull(name, "name == null");
    }

    @Override
    Builder self() {
      return this;
    }

    /**
     * Builds the metrics and registers the event counters (at zero).
     *
     * @throws IllegalArgumentException the name is blank
     */
    public ParleyClientMetrics build() {
      if (name.isBlank()) {
        throw new IllegalArgumentException("the client's name (its metrics' client tag) must not be blank");
      }
      return new ParleyClientMetrics(this);
    }
  }
}
