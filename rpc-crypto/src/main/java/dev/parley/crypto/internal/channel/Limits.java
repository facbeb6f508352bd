package dev.parley.crypto.internal.channel;

import dev.parley.crypto.internal.ReplayWindow;

/**
 * The per-direction limits of a secure channel (PROTOCOL.md §12). {@link #DEFAULT} is the
 * protocol's; tests pass small values instead of sealing 2^24 frames.
 *
 * @param epochFrames frames sealed under one epoch key before the sender ratchets (2^24)
 * @param epochBytes plaintext bytes sealed under one epoch key before the sender ratchets (2^36)
 * @param maxFrames the hard counter limit: counters run 0 .. maxFrames − 1 (2^32)
 * @param maxEpoch the highest epoch number (2^16 − 1)
 * @param replayWindow the server's replay window in counters (4096 = 4 × 1024 in flight)
 */
public record Limits(long epochFrames, long epochBytes, long maxFrames, int maxEpoch, int replayWindow) {
  /** The protocol's limits. */
  public static final Limits DEFAULT = new Limits(1L << 24, 1L << 36, 1L << 32, 0xFFFF, ReplayWindow.MIN_WINDOW);

  /** Validates. */
  public Limits {
    if (epochFrames < 1 || epochBytes < 1 || maxFrames < 1 || maxFrames > (1L << 62) || maxEpoch < 0) {
      throw new IllegalArgumentException("limits must be positive (maxFrames at most 2^62)");
    }
  }
}
