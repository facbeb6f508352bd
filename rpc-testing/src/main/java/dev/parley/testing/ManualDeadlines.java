package dev.parley.testing;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The timers that end a server's calls at their deadline (docs/SERVER.md "Deadlines"), fired when
 * the test says so instead of when the time comes: a test of a function that must stop when its
 * caller's deadline passes waits for the function to be running, passes the deadline, and asserts
 * on the function's own state, with no sleep and no timing threshold. Give it to
 * {@link ParleyServer.Builder#deadlines(ManualDeadlines)}.
 *
 * <pre>{@code
 * static final ManualDeadlines deadlines = new ManualDeadlines();
 * @RegisterExtension
 * static final ParleyServer server = ParleyServer.builder().module(reports()).deadlines(deadlines).build();
 *
 * @Test void aReportStopsWhenItsCallerStopsWaiting(ReportsClient reports) throws Exception {
 *   CompletableFuture<Report> call = CompletableFuture.supplyAsync(() -> reports.withTimeout(Duration.ofMinutes(1)).build(2025));
 *   impl.started.await();            // the function runs
 *   deadlines.passNext();            // its caller's deadline passes: its thread is interrupted
 *   impl.stopped.await();            // the function saw it
 *   assertInstanceOf(RpcTimeoutException.class, assertThrows(CompletionException.class, call::join).getCause());
 * }
 * }</pre>
 *
 * <p>Only calls whose caller sent a timeout have a deadline (a Parley client always sends one unless
 * its {@code callTimeout} is 0). Thread-safe.
 */
public final class ManualDeadlines {
  private final BlockingQueue<Timer> timers = new LinkedBlockingQueue<>();
  private final Scheduler scheduler = new TimerScheduler();

  /** Deadlines that pass only when the test says so. */
  public ManualDeadlines() {}

  /**
   * Passes the deadline of the next call that set one and still runs, waiting until one does: its
   * function's thread is interrupted (or its future cancelled) and the call is answered -32001.
   * Deadlines of calls that finished in time are skipped.
   *
   * @throws InterruptedException the test's thread was interrupted while waiting
   */
  public void passNext() throws InterruptedException {
    while (true) {
      Timer timer = timers.take();
      if (timer.fire()) {
        return;
      }
    }
  }

  /** How many deadlines are set for calls that still run. */
  public int pending() {
    return (int) timers.stream().filter(timer -> !timer.cancelled.get()).count();
  }

  /** The Jetty scheduler the server's deadlines run on. */
  Scheduler scheduler() {
    return scheduler;
  }

  @Override
  public String toString() {
    return "ManualDeadlines[" + pending() + " pending]";
  }

  /** One deadline's timer. */
  private static final class Timer implements Scheduler.Task {
    final Runnable task;
    final AtomicBoolean cancelled = new AtomicBoolean();

    Timer(Runnable task) {
      this.task = task;
    }

    @Override
    public boolean cancel() {
      return cancelled.compareAndSet(false, true);
    }

    /** Runs the task unless it was cancelled; true if it ran. */
    boolean fire() {
      if (!cancelled.compareAndSet(false, true)) {
        return false;
      }
      task.run();
      return true;
    }
  }

  private final class TimerScheduler extends AbstractLifeCycle implements Scheduler {
    @Override
    public Task schedule(Runnable task, long delay, TimeUnit units) {
      Timer timer = new Timer(task);
      timers.add(timer);
      return timer;
    }
  }
}
