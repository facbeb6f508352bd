package dev.parley.crypto;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bytes per session: what creating 10 000 channels allocates on this thread, divided by 10 000. A
 * channel cannot keep more than was allocated for it, so this bounds its retained size from above
 * without relying on {@code System.gc()} (a heap delta around collections can measure nothing when
 * they do not run, and pass). The bounds are loose on purpose: they catch a Cipher or a 64 KiB
 * buffer per session, not a few bytes. rpc-bench's {@code SessionFootprint} measures what is
 * retained.
 */
class ChannelFootprintTest {
  private static final int SESSIONS = 10_000;

  private static long allocatedPerChannel(boolean server) {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
        "this JVM does not count allocated bytes per thread, so there is nothing to measure");
    SessionKeys keys = FrameFixtures.randomKeys();
    List<Object> channels = new ArrayList<>(SESSIONS);
    long id = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(id);
    for (int i = 0; i < SESSIONS; i++) {
      channels.add(server ? FrameFixtures.server(keys) : FrameFixtures.client(keys));
    }
    long perChannel = (threads.getThreadAllocatedBytes(id) - before) / channels.size();
    System.out.println((server ? "server" : "client") + " channel: " + perChannel + " bytes allocated per session ("
        + SESSIONS + " channels)");
    assertTrue(perChannel > 0, "no allocation was counted");
    return perChannel;
  }

  @Test
  void aServerChannelCostsWellUnderFourKibibytes() {
    long perChannel = allocatedPerChannel(true);
    assertTrue(perChannel < 4096, perChannel + " bytes per server channel");
  }

  @Test
  void aClientChannelCostsWellUnderTwoKibibytes() {
    long perChannel = allocatedPerChannel(false);
    assertTrue(perChannel < 2048, perChannel + " bytes per client channel");
  }
}
