package dev.parley.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** The heap measurement that {@link SessionFootprint} and {@code load.SessionMemory} divide by their sessions. */
public final class Heap {
  private Heap() {}

  /** The least used heap seen over five full GCs: what stays reachable, without the garbage. */
  public static long usedAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(50);  // a stand-alone measurement tool, not a test: lets the collector settle
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
