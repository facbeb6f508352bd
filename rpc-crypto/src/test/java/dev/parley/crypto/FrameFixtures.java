package dev.parley.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.crypto.internal.channel.Limits;
import dev.parley.crypto.internal.channel.NonceObserver;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HexFormat;

/** Shared inputs of the frame tests: fixed or random session keys, channel pairs, bodies. */
final class FrameFixtures {
  static final String METHOD = "POST";
  static final String ROUTE = "/calc";
  static final int KIB64 = 64 * 1024;
  static final int MIB = 1024 * 1024;
  static final HexFormat HEX = HexFormat.of();

  private FrameFixtures() {}

  /** Bytes start, start+1, … (mod 256). */
  static byte[] counting(int start, int length) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (start + i);
    }
    return b;
  }

  /** The server instance of {@link #fixedKeys()}: id c0.., secret e0... */
  static final ServerInstance INSTANCE = ServerInstance.of(counting(0xc0, 16), counting(0xe0, 32));

  /**
   * Fixed session keys: sid 00.., c2s key 20.., c2s iv 40.., s2c key 60.., s2c iv 80.., owned by
   * {@link #INSTANCE} (its session reject key for sid 00..).
   */
  static SessionKeys fixedKeys() {
    byte[] sid = counting(0x00, 16);
    return new SessionKeys(sid, counting(0x20, 32), counting(0x40, 12), counting(0x60, 32),
        counting(0x80, 12), INSTANCE.sessionRejectKey(sid), INSTANCE.id());
  }

  static SessionKeys randomKeys() {
    SecureRandom r = new SecureRandom();
    byte[][] parts = {new byte[16], new byte[32], new byte[12], new byte[32], new byte[12], new byte[32], new byte[16]};
    for (byte[] p : parts) {
      r.nextBytes(p);
    }
    return new SessionKeys(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], parts[6]);
  }

  /** A body whose byte i is i mod 251 (so chunks differ from one another). */
  static byte[] body(int length) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (i % 251);
    }
    return b;
  }

  /** A client and a server channel of one session. */
  record Pair(SecureChannel client, SecureChannel server) {
    /** Seals a request, opens it, seals the response, opens it: the session works. */
    void assertWorks() throws CryptoException {
      byte[] req = body(100);
      SecureChannel.Sealed s = client.sealRequest(METHOD, ROUTE, req);
      SecureChannel.Opened o = server.openRequest(s.frame(), METHOD, ROUTE);
      assertArrayEquals(req, o.body());
      assertEquals(s.counter(), o.counter());
      byte[] resp = body(33);
      byte[] r = server.sealResponse(o.counter(), 200, METHOD, ROUTE, resp);
      assertArrayEquals(resp, client.openResponse(r, s.counter(), 200, METHOD, ROUTE));
    }
  }

  static Pair pair() {
    return pair(fixedKeys(), Limits.DEFAULT, NonceObserver.NONE);
  }

  static Pair pair(SessionKeys keys, Limits limits, NonceObserver observer) {
    Clock clock = Clock.systemUTC();
    Duration age = SecureChannel.DEFAULT_MAX_AGE;
    return new Pair(SecureChannel.create(true, keys, age, clock, limits, observer),
        SecureChannel.create(false, keys, age, clock, limits, observer));
  }

  /** Reads a stream to its end. */
  static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toByteArray();
  }

  /** Opens a request frame through the streaming API, to its end. */
  static byte[] openRequestStreaming(SecureChannel server, byte[] frame) throws CryptoException, IOException {
    try (InputStream in = server.openRequest(new ByteArrayInputStream(frame), METHOD, ROUTE)) {
      return readAll(in);
    }
  }

  /** Asserts the byte[] open of a request frame is rejected. */
  static CryptoException assertRequestRejected(SecureChannel server, byte[] frame) {
    return assertThrows(CryptoException.class, () -> server.openRequest(frame, METHOD, ROUTE));
  }

  /** Asserts the streaming open of a request frame is rejected (at the header or at a chunk). */
  static void assertStreamingRequestRejected(SecureChannel server, byte[] frame) {
    Exception e = assertThrows(Exception.class, () -> openRequestStreaming(server, frame));
    if (e instanceof IOException) {
      assertEquals(CryptoException.class, e.getCause().getClass(), "IOException must wrap a CryptoException");
    } else {
      assertEquals(CryptoException.class, e.getClass());
    }
  }

  static byte[] flip(byte[] frame, int offset, int mask) {
    byte[] f = frame.clone();
    f[offset] ^= (byte) mask;
    return f;
  }

  /** A clock tests move by hand. */
  static final class MutableClock extends Clock {
    private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
