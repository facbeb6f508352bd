package dev.parley.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.CallContext;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/** {@link Traced}, with latches the tests watch. */
final class TracedImpl implements Traced {
  volatile CountDownLatch started = new CountDownLatch(1);
  volatile CountDownLatch interrupted = new CountDownLatch(1);
  volatile CompletableFuture<String> pending = new CompletableFuture<>();
  volatile CountDownLatch pendingReturned = new CountDownLatch(1);

  @Override
  public String context(CallContext call) {
    return call.traceparent().orElse("-") + "|" + call.tracestate().orElse("-") + "|"
        + call.header("traceparent").isPresent() + "|" + call.isEncrypted() + "|"
        + call.deadline().map(d -> Long.toString(Duration.between(Instant.now(), d).toMillis())).orElse("none");
  }

  @Override
  public CompletableFuture<String> pending() {
    CompletableFuture<String> future = pending;
    future.whenComplete((result, failure) -> pendingReturned.countDown());
    return future;
  }

  @Override
  public String runUntilStopped(CallContext call) {
    started.countDown();
    try {
      new CountDownLatch(1).await();   // only an interrupt ends it
    } catch (InterruptedException e) {
      interrupted.countDown();
      throw new IllegalStateException("stopped at the deadline", e);
    }
    return "never";
  }

  /**
   * Starts {@code call}, a call of {@link #runUntilStopped}, on another thread; once the function
   * runs, passes its deadline with {@code deadlines} and waits until the function saw the interrupt.
   * Returns the failure the call ended with.
   */
  Throwable runUntilDeadline(Supplier<String> call, ManualDeadlines deadlines) throws InterruptedException {
    started = new CountDownLatch(1);
    interrupted = new CountDownLatch(1);
    CompletableFuture<String> future = CompletableFuture.supplyAsync(call);
    started.await();
    deadlines.passNext();   // the server's deadline passes
    interrupted.await();    // the function's own state: its thread was interrupted
    return assertThrows(CompletionException.class, future::join).getCause();
  }
}
