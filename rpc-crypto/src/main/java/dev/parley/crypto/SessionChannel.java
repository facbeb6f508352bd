package dev.parley.crypto;

/**
 * What {@link ClientChannel} and {@link ServerChannel} have in common around their
 * {@link ChannelCore}: the epochs of both directions (tests, diagnostics) and a name that shows the
 * side and never a key.
 */
abstract class SessionChannel {
  final ChannelCore core;

  SessionChannel(ChannelCore core) {
    this.core = core;
  }

  /** The current epoch of the sending direction (tests, diagnostics). */
  int sendEpoch() {
    return core.send.epochNumber();
  }

  /** The current epoch of the receiving direction (tests, diagnostics). */
  int receiveEpoch() {
    return core.receive.epochNumber();
  }

  /** Names the side only, never a key. */
  @Override
  public String toString() {
    String side = getClass().getSimpleName();
    return core.destroyed() ? side + "{destroyed}" : side;
  }
}
