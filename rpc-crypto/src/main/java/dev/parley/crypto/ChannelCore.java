package dev.parley.crypto;

import dev.parley.crypto.CryptoException.Reason;
import dev.parley.crypto.internal.channel.EpochKey;
import dev.parley.crypto.internal.channel.Limits;
import dev.parley.crypto.internal.channel.NonceObserver;
import dev.parley.crypto.internal.channel.ReceiveDirection;
import dev.parley.crypto.internal.channel.SendDirection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * What the two sides of a session share (PROTOCOL.md §10–§12): the session id, one sending and one
 * receiving direction with their counters and epoch keys, the limits, and the maximum age counted
 * on this side's clock (§12.4). {@link ClientChannel} and {@link ServerChannel} add their side's
 * frames on top. Thread-safe.
 */
final class ChannelCore {
  /** PROTOCOL.md §12.5: the default maximum session age. */
  static final Duration DEFAULT_MAX_AGE = Duration.ofHours(24);

  final byte[] sessionId;
  final Limits limits;
  final SendDirection send;
  final ReceiveDirection receive;
  private final Clock clock;
  private final Instant notAfter;
  private volatile boolean destroyed;

  /**
   * The client sends c2s and receives s2c; the server the other way round (PROTOCOL.md §7.2). The
   * keys are copied in; the {@link SessionKeys} may be destroyed afterwards.
   */
  ChannelCore(boolean client, SessionKeys keys, Duration maxAge, Clock clock, Limits limits, NonceObserver observer) {
    Objects.requireNonNull(keys, "keys == null");
    Objects.requireNonNull(maxAge, "maxAge == null");
    Objects.requireNonNull(clock, "clock == null");
    if (maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("maxAge must be positive, was " + maxAge);
    }
    this.sessionId = keys.sessionId();
    this.limits = limits;
    this.clock = clock;
    this.notAfter = clock.instant().plus(maxAge);
    byte[] c2sKey = keys.c2sKey();
    byte[] s2cKey = keys.s2cKey();
    try {
      if (client) {
        this.send = new SendDirection("c2s", c2sKey, keys.c2sIv(), limits, observer);
        this.receive = new ReceiveDirection(s2cKey, keys.s2cIv(), limits);
      } else {
        this.send = new SendDirection("s2c", s2cKey, keys.s2cIv(), limits, observer);
        this.receive = new ReceiveDirection(c2sKey, keys.c2sIv(), limits);
      }
    } finally {
      Arrays.fill(c2sKey, (byte) 0);
      Arrays.fill(s2cKey, (byte) 0);
    }
  }

  /**
   * The next counter and the key to seal under (PROTOCOL.md §12).
   *
   * @throws CryptoException {@link Reason#EXPIRED} once destroyed, {@link Reason#LIMIT} past the
   *     maximum age or a counter or epoch limit
   */
  SendDirection.Reservation reserve() throws CryptoException {
    if (destroyed) {
      throw new CryptoException(Reason.EXPIRED, "session closed, re-handshake");
    }
    if (!clock.instant().isBefore(notAfter)) {
      throw new CryptoException(Reason.LIMIT, "session too old, re-handshake");
    }
    return send.reserve();
  }

  /** The receiving key of a frame's epoch (PROTOCOL.md §12.3), or a rejection. */
  EpochKey keyFor(int epoch) throws CryptoException {
    if (destroyed) {
      throw new CryptoException(Reason.EXPIRED, "frame rejected");
    }
    return receive.keyFor(epoch);
  }

  boolean destroyed() {
    return destroyed;
  }

  /** Zeroes both directions' keys; sealing and opening fail afterwards. Idempotent. */
  void destroy() {
    destroyed = true;
    send.destroy();
    receive.destroy();
  }
}
