package dev.parley.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;

/** Shared helpers of the handshake tests. */
final class HandshakeFixtures {
  static final String ROUTE = "/calc";
  static final HexFormat HEX = HexFormat.of();

  private HandshakeFixtures() {}

  static SecureKey key(int fill) {
    byte[] k = new byte[32];
    java.util.Arrays.fill(k, (byte) fill);
    return SecureKey.fromBytes(k);
  }

  /** A full honest handshake; returns {client keys, server keys}. */
  static SessionKeys[] handshake(ClientHandshake client, HandshakeResponder server) throws CryptoException {
    byte[] msg2 = server.answerMessage1(client.message1());
    HandshakeResponder.Accepted accepted = server.acceptMessage3(client.message3(msg2));
    return new SessionKeys[] {client.finish(accepted.message4()), accepted.sessionKeys()};
  }

  /** The client's msg3, after its msg1 went to {@code server} and the server's msg2 came back. */
  static byte[] message3(ClientHandshake client, HandshakeResponder server) throws CryptoException {
    return client.message3(server.answerMessage1(client.message1()));
  }

  /** {@code server} accepts {@code msg3}, and the client finishes with the keys the server holds. */
  static void assertAcceptedWithTheSameKeys(ClientHandshake client, HandshakeResponder server, byte[] msg3)
      throws CryptoException {
    HandshakeResponder.Accepted accepted = server.acceptMessage3(msg3);
    assertSameKeys(client.finish(accepted.message4()), accepted.sessionKeys());
  }

  /** Runs an honest handshake and asserts that both sides agree on every key. */
  static void assertHonestHandshakeWorks(SecureKey key, HandshakeResponder server) throws CryptoException {
    SessionKeys[] keys = handshake(ClientHandshake.start(key, ROUTE), server);
    assertSameKeys(keys[0], keys[1]);
  }

  static void assertSameKeys(SessionKeys a, SessionKeys b) {
    assertArrayEquals(a.sessionId(), b.sessionId());
    assertArrayEquals(a.c2sKey(), b.c2sKey());
    assertArrayEquals(a.c2sIv(), b.c2sIv());
    assertArrayEquals(a.s2cKey(), b.s2cKey());
    assertArrayEquals(a.s2cIv(), b.s2cIv());
    assertArrayEquals(a.rejectKey(), b.rejectKey());
    assertArrayEquals(a.instanceId(), b.instanceId());
  }

  /** A SecureRandom that hands out given bytes in order, for fixed vectors. Fails when exhausted. */
  static final class FixedRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final Deque<byte[]> values = new ArrayDeque<>();

    FixedRandom(byte[]... values) {
      for (byte[] v : values) {
        this.values.add(v.clone());
      }
    }

    @Override
    public synchronized void nextBytes(byte[] bytes) {
      byte[] next = values.poll();
      if (next == null || next.length != bytes.length) {
        throw new IllegalStateException("FixedRandom: unexpected draw of " + bytes.length + " bytes");
      }
      System.arraycopy(next, 0, bytes, 0, bytes.length);
    }
  }
}
