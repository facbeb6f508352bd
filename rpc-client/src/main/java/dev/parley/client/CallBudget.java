package dev.parley.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One logical call's time budget across its attempts, and what the attempts revealed and used
 * (docs/CLIENT.md "Outcomes and re-sends"). Waits between attempts grow from 50 ms, doubling, to at
 * most 1 s, with ±20 % jitter so that many clients of a restarting server do not knock in step. Not
 * thread-safe: one call's attempts run one after another.
 */
final class CallBudget {
  static final long FIRST_WAIT_MILLIS = 50;
  static final long MAX_WAIT_MILLIS = 1000;
  /** With callTimeout 0 (no limit), a call still stops waiting for a refused server after this long. */
  static final Duration UNLIMITED_RETRY_WINDOW = Duration.ofSeconds(60);

  private final long start = System.nanoTime();
  private final long budgetNanos;
  private final boolean limited;
  /** What messages call the timeout; the description is made only when a message needs it. */
  private final String name;
  private final Duration timeout;
  private int waits;
  /** The call may be sent once more after an attempt whose outcome is unknown ({@link Resend}). */
  final boolean idempotent;
  /** True once an attempt may have reached a server without a verdict: the call may have run. */
  boolean maybeRan;
  /** An idempotent call was sent once more after an unknown outcome (at most once). */
  boolean resent;
  /** Attempts made at once, in a row, after a pooled connection was found closed. */
  int immediate;

  /**
   * @param timeout the call's timeout, zero for none
   * @param name what messages call it: "the call timeout" (the module's) or "the per-call timeout"
   */
  CallBudget(Duration timeout, String name, boolean idempotent) {
    this.idempotent = idempotent;
    this.limited = !timeout.isZero();
    this.budgetNanos = (limited ? timeout : UNLIMITED_RETRY_WINDOW).toNanos();
    this.name = name;
    this.timeout = timeout;
  }

  /** True when the call timeout also bounds each HTTP exchange (callTimeout is not 0). */
  boolean limited() {
    return limited;
  }

  /** Time left, at least 1 ns while any is left, else 0. */
  long remainingNanos() {
    long left = budgetNanos - (System.nanoTime() - start);
    return Math.max(0, left);
  }

  /** The wait before the next attempt, in milliseconds, or -1 when the budget leaves no room for it. */
  long nextWaitMillis() {
    long base = Math.min(MAX_WAIT_MILLIS, FIRST_WAIT_MILLIS << Math.min(waits, 10));
    long wait = Math.max(1, Math.round(base * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble())));
    if (wait * 1_000_000L >= remainingNanos()) {
      return -1;
    }
    waits++;
    return wait;
  }

  /** Names the budget for messages, for example "the call timeout (60 s)". */
  String description() {
    return limited ? name + " (" + text(timeout) + ")"
        : "the " + text(UNLIMITED_RETRY_WINDOW) + " a call with no call timeout waits for a server";
  }

  /** {@code d} for messages: whole seconds as "60 s", else milliseconds as "1500 ms". */
  static String text(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
