package dev.parley.internal;

import java.util.concurrent.ScheduledThreadPoolExecutor;

/** A one-thread daemon scheduler whose cancelled tasks leave its queue at once. Not API. */
public final class DaemonTimer {
  private DaemonTimer() {}

  /** A new timer whose thread is named {@code threadName}. */
  public static ScheduledThreadPoolExecutor create(String threadName) {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
      Thread thread = new Thread(task, threadName);
      thread.setDaemon(true);
      return thread;
    });
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }
}
