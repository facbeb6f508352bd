package dev.parley.testing;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Caffeine {@link Ticker} that stands still until the test advances it: the clock a server module
 * measures session expiry ({@code autoSessionsLive}) with, so a test expires sessions at once
 * instead of sleeping. Give it to {@link ParleyServer.Builder#ticker(ManualTicker)}.
 *
 * <pre>{@code
 * static final ManualTicker ticker = new ManualTicker();
 * @RegisterExtension
 * static final ParleyServer server = ParleyServer.builder()
 *     .module(ServerModule.builder("/calc").autoSessionsLive(Duration.ofMinutes(1)).functions(...))
 *     .ticker(ticker)
 *     .build();
 *
 * @Test void aSessionEndsAMinuteAfterItsLastCall(ClientModule calc) {
 *   calc.call("add", List.of(1, 2), Integer.class);
 *   ticker.advance(Duration.ofMinutes(2));          // the session has expired
 *   ...
 * }
 * }</pre>
 *
 * <p>It starts at 0 and only moves forward. Thread-safe. A module with a ticker of its own runs no
 * background clean-up: expired sessions are removed when the module next looks at its sessions
 * (docs/SERVER.md).
 */
public final class ManualTicker implements Ticker {
  private final AtomicLong nanos = new AtomicLong();

  /** A ticker reading 0. */
  public ManualTicker() {}

  /** The nanoseconds the test has advanced it by so far. */
  @Override
  public long read() {
    return nanos.get();
  }

  /**
   * Moves the ticker forward by {@code duration}.
   *
   * @throws IllegalArgumentException {@code duration} is negative: a ticker never goes back
   */
  public void advance(Duration duration) {
    Objects.requireNonNull(duration, "duration == null");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("a ticker only moves forward; advance by a positive duration, was "
          + duration);
    }
    nanos.addAndGet(duration.toNanos());
  }

  @Override
  public String toString() {
    return "ManualTicker[" + Duration.ofNanos(nanos.get()) + "]";
  }
}
