package dev.parley.server;

import dev.parley.RemoteException;
import dev.parley.internal.DaemonTimer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delayed calls (server push by long poll, RTC's {@code PrepareDelayedCall} / {@code WakeUp}): a
 * remote function parks its answer under a key and returns at once; server code answers it later
 * with {@link #wakeUp} (the calls parked under one key) or {@link #wakeUpAll}. A parked call holds
 * no server thread: the function returns a {@code CompletableFuture}, which the module answers when
 * it completes (docs/SERVER.md "Delayed calls").
 *
 * <pre>{@code
 * DelayedCalls<String, List<String>> waiting = DelayedCalls.<String, List<String>>builder()
 *     .timeout(Duration.ofSeconds(10))
 *     .timeoutValue(List.of())                 // a call nobody woke is answered []
 *     .build();
 *
 * @RemoteFunction public CompletableFuture<List<String>> next(String room) {
 *   return waiting.park(room);               // answered by the next wakeUp(room, …)
 * }
 * @RemoteFunction public void say(String room, String text) {
 *   waiting.wakeUp(room, List.of(text));
 * }
 * }</pre>
 *
 * <p>A parked call ends exactly once, by the first of: a wake-up (answered with its value), its
 * timeout (answered with {@link Builder#timeoutValue}, or else the error {@link #TIMED_OUT}), or
 * its cancellation. The module cancels the futures its functions returned when the caller's
 * connection closes before they are answered, so a client that went away is never answered and
 * its calls leave this registry ({@link #parked()} counts them no more).
 *
 * <p>Thread-safe. Timeouts run on one shared daemon thread, which only completes futures: the
 * module's answer is then written on that thread, so keep the value cheap to serialise.
 */
public final class DelayedCalls<K, V> {
  /** The error code a parked call is answered with when its timeout passes and no timeout value is set. */
  public static final int TIMED_OUT = -32010;
  /** The message of {@link #TIMED_OUT}. */
  public static final String TIMED_OUT_MESSAGE = "Delayed call timed out";
  /** The error code of a call refused because {@link Builder#maxParked} calls are parked already. */
  public static final int TOO_MANY_PARKED = -32011;
  /** The message of {@link #TOO_MANY_PARKED}. */
  public static final String TOO_MANY_PARKED_MESSAGE = "Too many delayed calls";
  /** The timeout of a builder that sets none: below the client's default read timeout of 30 s. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(25);

  private static final ScheduledThreadPoolExecutor TIMER = DaemonTimer.create("parley-delayed-calls");

  private final Duration timeout;
  private final boolean answersTimeoutValue;
  private final V timeoutValue;
  private final int maxParked;
  private final Map<K, Set<Parked<V>>> byKey = new ConcurrentHashMap<>();
  private final AtomicInteger count = new AtomicInteger();

  private DelayedCalls(Builder<K, V> b) {
    this.timeout = b.timeout;
    this.answersTimeoutValue = b.timeoutValueSet;
    this.timeoutValue = b.timeoutValue;
    this.maxParked = b.maxParked;
  }

  /** Starts a builder: timeout {@link #DEFAULT_TIMEOUT}, answered {@link #TIMED_OUT} on timeout, no limit. */
  public static <K, V> Builder<K, V> builder() {
    return new Builder<>();
  }

  /**
   * Parks a call under {@code key} with this registry's timeout; return the future from the remote
   * function. With {@link Builder#maxParked} calls parked already, the future is failed at once with
   * {@link #TOO_MANY_PARKED}.
   */
  public CompletableFuture<V> park(K key) {
    return park(key, timeout);
  }

  /** {@link #park(Object)} with a timeout of its own (positive). */
  public CompletableFuture<V> park(K key, Duration timeout) {
    Objects.requireNonNull(key, "key == null");
    long nanos = positiveNanos(timeout);
    if (count.incrementAndGet() > maxParked) {
      count.decrementAndGet();
      return CompletableFuture.failedFuture(new RemoteException(TOO_MANY_PARKED, TOO_MANY_PARKED_MESSAGE));
    }
    Parked<V> parked = new Parked<>();
    parked.onEnd = () -> remove(key, parked);
    byKey.compute(key, (k, calls) -> {
      Set<Parked<V>> set = calls == null ? ConcurrentHashMap.newKeySet() : calls;
      set.add(parked);
      return set;
    });
    parked.timer = TIMER.schedule(() -> expire(parked), nanos, TimeUnit.NANOSECONDS);
    if (parked.isDone()) {
      parked.timer.cancel(false);   // ended before its timer was set: remove() could not cancel it
    }
    return parked;
  }

  /** Answers every call parked under {@code key} with {@code value}; returns how many were answered. */
  public int wakeUp(K key, V value) {
    Objects.requireNonNull(key, "key == null");
    Set<Parked<V>> calls = byKey.get(key);
    return calls == null ? 0 : complete(new ArrayList<>(calls), value);
  }

  /** Answers every parked call with {@code value}; returns how many were answered. */
  public int wakeUpAll(V value) {
    List<Parked<V>> all = new ArrayList<>();
    for (Set<Parked<V>> calls : byKey.values()) {
      all.addAll(calls);
    }
    return complete(all, value);
  }

  /** How many calls are parked now, under all keys. */
  public int parked() {
    return count.get();
  }

  /** How many calls are parked now under {@code key}. */
  public int parked(K key) {
    Set<Parked<V>> calls = byKey.get(Objects.requireNonNull(key, "key == null"));
    return calls == null ? 0 : calls.size();
  }

  /** The settings; never a value. */
  @Override
  public String toString() {
    return "DelayedCalls[timeout " + timeout + ", " + count.get() + " parked"
        + (maxParked == Integer.MAX_VALUE ? "" : " of at most " + maxParked) + "]";
  }

  private int complete(List<Parked<V>> calls, V value) {
    int answered = 0;
    for (Parked<V> call : calls) {
      if (call.complete(value)) {
        answered++;
      }
    }
    return answered;
  }

  private void expire(Parked<V> parked) {
    if (answersTimeoutValue) {
      parked.complete(timeoutValue);
    } else {
      parked.completeExceptionally(new RemoteException(TIMED_OUT, TIMED_OUT_MESSAGE));
    }
  }

  private void remove(K key, Parked<V> parked) {
    ScheduledFuture<?> timer = parked.timer;
    if (timer != null) {
      timer.cancel(false);   // the pool removes a cancelled task at once (setRemoveOnCancelPolicy)
    }
    // Atomic per key with park(): an emptied set leaves the map, and a new call never lands in it.
    byKey.computeIfPresent(key, (k, calls) -> {
      if (calls.remove(parked)) {
        count.decrementAndGet();
      }
      return calls.isEmpty() ? null : calls;
    });
  }

  private static long positiveNanos(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout == null");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("a delayed call's timeout must be positive, was " + timeout);
    }
    return timeout.toNanos();
  }


  /**
   * One parked call: the future the function returned, and its timeout task. Whatever ends it (a
   * wake-up, the timeout, a cancellation) removes it from the registry before its dependents run, so
   * that {@link #parked()} never counts a call that has ended.
   */
  private static final class Parked<V> extends CompletableFuture<V> {
    volatile ScheduledFuture<?> timer;
    Runnable onEnd;   // set before the future is published

    @Override
    public boolean complete(V value) {
      onEnd.run();
      return super.complete(value);
    }

    @Override
    public boolean completeExceptionally(Throwable failure) {
      onEnd.run();
      return super.completeExceptionally(failure);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      onEnd.run();
      return super.cancel(mayInterruptIfRunning);
    }
  }

  /**
   * Builds {@link DelayedCalls}. Each setting may be given once.
   *
   * <pre>{@code
   * DelayedCalls<Long, Quote> quotes = DelayedCalls.<Long, Quote>builder()
   *     .timeout(Duration.ofSeconds(10)).maxParked(10_000).build();
   * }</pre>
   */
  public static final class Builder<K, V> {
    private Duration timeout = DEFAULT_TIMEOUT;
    private boolean timeoutSet;
    private V timeoutValue;
    private boolean timeoutValueSet;
    private int maxParked = Integer.MAX_VALUE;
    private boolean maxParkedSet;

    private Builder() {}

    /**
     * How long a call stays parked before it is answered without a wake-up (default
     * {@link DelayedCalls#DEFAULT_TIMEOUT}). Keep it below the clients' read timeout (30 s by
     * default), or they give up first and cannot tell whether the call ran.
     */
    public Builder<K, V> timeout(Duration timeout) {
      positiveNanos(timeout);
      if (timeoutSet) {
        throw new IllegalStateException("timeout was already set to " + this.timeout);
      }
      this.timeout = timeout;
      this.timeoutSet = true;
      return this;
    }

    /** The value a call is answered with when its timeout passes (may be null); without it, error {@link #TIMED_OUT}. */
    public Builder<K, V> timeoutValue(V value) {
      if (timeoutValueSet) {
        throw new IllegalStateException("timeoutValue was already set");
      }
      this.timeoutValue = value;
      this.timeoutValueSet = true;
      return this;
    }

    /** The most calls parked at once (at least 1); further calls are answered {@link #TOO_MANY_PARKED}. */
    public Builder<K, V> maxParked(int maxParked) {
      if (maxParked < 1) {
        throw new IllegalArgumentException("maxParked must be at least 1, was " + maxParked);
      }
      if (maxParkedSet) {
        throw new IllegalStateException("maxParked was already set to " + this.maxParked);
      }
      this.maxParked = maxParked;
      this.maxParkedSet = true;
      return this;
    }

    /** Builds the registry. */
    public DelayedCalls<K, V> build() {
      return new DelayedCalls<>(this);
    }
  }
}
