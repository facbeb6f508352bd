package dev.parley.bench.load;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * Bytes allocated per call, client and server threads together, with one caller: the sum of
 * HotSpot's per-thread allocation counters over all live threads, before and after a bounded run
 * of calls, divided by the calls. It bounds the peak heap a call can hold (a call cannot retain
 * more than it allocated), so "allocated per call ≤ 3 × body" proves the "peak heap per
 * in-flight call ≤ 3 × body"; a larger figure leaves that question open.
 */
final class AllocationPerCall {
  private AllocationPerCall() {}

  record Result(double callerBytesPerCall, double otherBytesPerCall, long calls) {}

  static Result measure(Endpoint endpoint, Payload payload, int calls, double maxSeconds) throws Exception {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long self = Thread.currentThread().getId();
    Map<Long, Long> before = snapshot(threads);
    long end = System.nanoTime() + (long) (maxSeconds * 1e9);
    long done = 0;
    while (done < calls && System.nanoTime() < end) {
      byte[] back = endpoint.echo(payload.bytes());
      if (back.length != payload.bytes().length) {
        throw new IllegalStateException("echo answered " + back.length + " bytes");
      }
      done++;
    }
    Map<Long, Long> after = snapshot(threads);
    long caller = after.get(self) - before.get(self);
    long other = 0;
    for (Map.Entry<Long, Long> e : after.entrySet()) {
      if (e.getKey() != self) {
        other += e.getValue() - before.getOrDefault(e.getKey(), 0L);
      }
    }
    return new Result((double) caller / done, (double) other / done, done);
  }

  /** Bytes allocated so far by each live thread, by thread id. */
  static Map<Long, Long> snapshot(com.sun.management.ThreadMXBean threads) {
    long[] ids = threads.getAllThreadIds();
    long[] bytes = threads.getThreadAllocatedBytes(ids);
    Map<Long, Long> map = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      if (bytes[i] >= 0) {
        map.put(ids[i], bytes[i]);
      }
    }
    return map;
  }
}
