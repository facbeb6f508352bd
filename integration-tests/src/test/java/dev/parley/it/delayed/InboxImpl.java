package dev.parley.it.delayed;

import dev.parley.server.DelayedCalls;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/** {@link Inbox} on a {@link DelayedCalls} registry, with latches the tests wait on instead of sleeping. */
final class InboxImpl implements Inbox {
  final DelayedCalls<String, String> waiting;
  private final CountDownLatch parked;
  private final CountDownLatch cancelled;
  private final CountDownLatch cancelledOnce = new CountDownLatch(1);

  InboxImpl(DelayedCalls<String, String> waiting, int expectedCalls) {
    this.waiting = waiting;
    this.parked = new CountDownLatch(expectedCalls);
    this.cancelled = new CountDownLatch(expectedCalls);
  }

  @Override
  public CompletableFuture<String> next(String key) {
    CompletableFuture<String> call = waiting.park(key);
    call.whenComplete((text, failure) -> {
      if (call.isCancelled()) {
        cancelled.countDown();
        cancelledOnce.countDown();
      }
    });
    parked.countDown();
    return call;
  }

  @Override
  public int post(String key, String text) {
    return waiting.wakeUp(key, text);
  }

  /** Counts down once per call parked. */
  CountDownLatch parked() {
    return parked;
  }

  /** Counts down when the first parked call is cancelled. */
  CountDownLatch cancelledOnce() {
    return cancelledOnce;
  }

  /** Counts down once per parked call that was cancelled (its caller went away). */
  CountDownLatch cancelled() {
    return cancelled;
  }
}
