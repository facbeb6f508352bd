package dev.parley.crypto;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves by hand (no sleeps), for token generations and session ages. */
final class MutableClock extends Clock {
  private volatile Instant now;

  /** Starts at 2026-01-01T00:00:00Z. */
  MutableClock() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  MutableClock(Instant start) {
    this.now = start;
  }

  void advance(Duration d) {
    now = now.plus(d);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return now;
  }
}
