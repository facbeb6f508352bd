package dev.parley.crypto;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bytes per session, measured as the heap growth of 10 000 live channels (after full GCs), so the
 * number in the closing report comes from this run. The bound is loose on purpose: it catches a
 * Cipher or a 64 KiB buffer per session, not a few bytes.
 */
class ChannelFootprintTest {
  private static final int SESSIONS = 10_000;

  private static long usedHeapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  private static long bytesPerChannel(boolean server) {
    SessionKeys keys = FrameFixtures.randomKeys();
    List<Object> channels = new ArrayList<>(SESSIONS);
    long before = usedHeapAfterGc();
    for (int i = 0; i < SESSIONS; i++) {
      channels.add(server ? FrameFixtures.server(keys) : FrameFixtures.client(keys));
    }
    long after = usedHeapAfterGc();
    long perChannel = (after - before) / SESSIONS;
    System.out.println((server ? "server" : "client") + " channel: about " + perChannel
        + " bytes per session (heap growth of " + SESSIONS + " channels; " + channels.size() + " live)");
    return perChannel;
  }

  @Test
  void aServerChannelCostsWellUnderFourKibibytes() {
    assertTrue(bytesPerChannel(true) < 4096);
  }

  @Test
  void aClientChannelCostsWellUnderTwoKibibytes() {
    assertTrue(bytesPerChannel(false) < 2048);
  }
}
