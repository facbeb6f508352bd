package dev.parley.server;

import dev.parley.RemoteException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The moment a caller stops waiting for one request (PROTOCOL.md §15.4: arrival plus the timeout it
 * sent), and what happens when it passes while a function runs: a synchronous function's thread is
 * interrupted, an asynchronous function's future cancelled, and the call fails with
 * {@link RemoteException#DEADLINE_EXCEEDED}. Timers run on Jetty's scheduler; a cancelled future is
 * completed on Jetty's executor, not on the scheduler's single thread.
 */
final class Deadline {
  static final String MESSAGE = "Deadline exceeded";

  private final long atNanos;
  private final Scheduler scheduler;
  private final Executor executor;
  private final boolean interruptThreads;

  /**
   * @param interruptThreads false in a non-blocking module, whose functions run on Jetty's I/O
   *     threads: those are never interrupted (a synchronous function there runs to its end, and only
   *     a deadline passed before it starts stops it)
   */
  Deadline(long atNanos, Scheduler scheduler, Executor executor, boolean interruptThreads) {
    this.atNanos = atNanos;
    this.scheduler = scheduler;
    this.executor = executor;
    this.interruptThreads = interruptThreads;
  }

  static RemoteException exceeded() {
    return new RemoteException(RemoteException.DEADLINE_EXCEEDED, MESSAGE);
  }

  long remainingNanos() {
    return atNanos - System.nanoTime();
  }

  boolean passed() {
    return remainingNanos() <= 0;
  }

  /**
   * Runs a function under this deadline: {@code body} on this thread as {@link #runInterruptibly}
   * does, and when it returns a stage (an asynchronous function), that stage {@link #guard guarded}.
   */
  Object call(Callable<Object> body) throws Exception {
    Object value = runInterruptibly(body);
    return value instanceof CompletionStage<?> stage ? guard(stage) : value;
  }

  /**
   * Runs {@code body} on this thread, interrupting it if the deadline passes meanwhile; then the
   * call fails with the deadline's error whatever {@code body} did. This thread's interrupt flag is
   * cleared again if the deadline set it (the thread goes back to Jetty's pool).
   */
  Object runInterruptibly(Callable<Object> body) throws Exception {
    if (passed()) {
      throw exceeded();
    }
    if (!interruptThreads) {
      return body.call();
    }
    Interrupter interrupter = new Interrupter(Thread.currentThread());
    Scheduler.Task task = scheduler.schedule(interrupter, remainingNanos(), TimeUnit.NANOSECONDS);
    Object value;
    try {
      value = body.call();
    } catch (Exception e) {
      if (!interrupter.finish(task)) {
        throw e;
      }
      throw exceeded();
    } catch (Error e) {
      interrupter.finish(task);
      throw e;
    }
    if (interrupter.finish(task)) {
      if (value instanceof Future<?> future) {
        future.cancel(true);   // an asynchronous function's future, made as the deadline passed
      }
      throw exceeded();
    }
    return value;
  }

  /**
   * A future of {@code stage}'s outcome, or of the deadline's error if it passes first, in which
   * case {@code stage} is cancelled (when it is a {@link Future}, as a {@code CompletableFuture} is);
   * cancelling the returned future cancels {@code stage} too.
   */
  CompletableFuture<Object> guard(CompletionStage<?> stage) {
    CompletableFuture<Object> out = new CompletableFuture<>();
    stage.whenComplete((value, failure) -> {
      if (failure == null) {
        out.complete(value);
      } else {
        out.completeExceptionally(failure);
      }
    });
    if (out.isDone()) {
      return out;
    }
    out.whenComplete((value, failure) -> {
      if (out.isCancelled() && stage instanceof Future<?> future) {
        future.cancel(true);   // the caller went away (CallWatch): the function's own future goes too
      }
    });
    Runnable expire = () -> {
      if (out.completeExceptionally(exceeded()) && stage instanceof Future<?> future) {
        future.cancel(true);
      }
    };
    long remaining = remainingNanos();
    if (remaining <= 0) {
      expire.run();
      return out;
    }
    Scheduler.Task task = scheduler.schedule(() -> executor.execute(expire), remaining, TimeUnit.NANOSECONDS);
    out.whenComplete((value, failure) -> task.cancel());
    return out;
  }

  /** Interrupts one thread at the deadline, unless the work it guards finished first. */
  private static final class Interrupter implements Runnable {
    private final Thread thread;
    private boolean finished;
    private boolean fired;

    Interrupter(Thread thread) {
      this.thread = thread;
    }

    @Override
    public synchronized void run() {
      if (!finished) {
        fired = true;
        thread.interrupt();
      }
    }

    /**
     * Marks the work finished and returns whether the deadline interrupted it; if so, clears the
     * interrupt it set (it was delivered inside the lock, so no later one can follow).
     */
    boolean finish(Scheduler.Task task) {
      task.cancel();
      boolean interrupted;
      synchronized (this) {
        finished = true;
        interrupted = fired;
      }
      if (interrupted) {
        Thread.interrupted();
      }
      return interrupted;
    }
  }
}
