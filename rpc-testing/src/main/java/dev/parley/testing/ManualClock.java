package dev.parley.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that stands still until the test advances it: the wall clock a server module
 * dates its sessions and handshake tokens with (docs/SERVER.md, {@code clock}). Give it to
 * {@link ParleyServer.Builder#clock(ManualClock)}, or pass it to your own code that takes a
 * {@code Clock}.
 *
 * <pre>{@code
 * static final ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
 * @RegisterExtension
 * static final ParleyServer server = ParleyServer.builder()
 *     .module(ServerModule.builder("/calc").functions(...))
 *     .clock(clock)
 *     .build();
 *
 * @Test void anEncryptedSessionIsReplacedAfterItsMaximumAge(ClientModule calc) {
 *   calc.call("add", List.of(1, 2), Integer.class);
 *   clock.advance(Duration.ofHours(25));
 *   ...
 * }
 * }</pre>
 *
 * <p>Unlike {@link ManualTicker} it may also be moved back, as a real wall clock may be. Its zone
 * is UTC; {@link #withZone} gives a view in another zone that reads and moves the same time.
 * Thread-safe.
 */
public final class ManualClock extends Clock {
  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  /** A clock reading the current instant (to the millisecond) until it is advanced. */
  public ManualClock() {
    this(Instant.ofEpochMilli(System.currentTimeMillis()));
  }

  /** A clock reading {@code start} until it is advanced. */
  public ManualClock(Instant start) {
    this(new AtomicReference<>(Objects.requireNonNull(start, "start == null")), ZoneOffset.UTC);
  }

  private ManualClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** This clock seen in {@code zone}: it reads, and advances, the same instant. */
  @Override
  public ManualClock withZone(ZoneId zone) {
    return new ManualClock(now, Objects.requireNonNull(zone, "zone == null"));
  }

  /** Moves the clock by {@code duration}: forward, or back for a negative one. */
  public void advance(Duration duration) {
    Objects.requireNonNull(duration, "duration == null");
    now.updateAndGet(instant -> instant.plus(duration));
  }

  @Override
  public String toString() {
    return "ManualClock[" + now.get() + ", " + zone + "]";
  }
}
