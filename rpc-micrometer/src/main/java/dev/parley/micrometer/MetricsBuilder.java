package dev.parley.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Objects;

/**
 * What the client's and the server's metrics builders share: the registry, the common tags and
 * whether the calls timer publishes a percentile histogram.
 *
 * @param <B> the concrete builder, returned by the setters
 */
abstract class MetricsBuilder<B extends MetricsBuilder<B>> {
  final MeterRegistry registry;
  Tags tags = Tags.empty();
  boolean histogram = true;

  MetricsBuilder(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry == null");
  }

  abstract B self();

  /**
   * Tags every meter carries, as name, value pairs (for example {@code "app", "shop"}).
   *
   * @throws IllegalArgumentException for an odd number of strings
   */
  public B tags(String... keyValues) {
    Objects.requireNonNull(keyValues, "tags == null");
    if (keyValues.length % 2 != 0) {
      throw new IllegalArgumentException("tags must be name, value pairs; got " + keyValues.length + " strings");
    }
    this.tags = this.tags.and(keyValues);
    return self();
  }

  /**
   * Whether the calls timer ({@code parley.server.calls}, {@code parley.client.calls}) publishes a
   * percentile histogram (default true): the buckets a backend such as Prometheus needs to compute
   * latency percentiles across instances.
   */
  public B percentileHistogram(boolean publish) {
    this.histogram = publish;
    return self();
  }
}
