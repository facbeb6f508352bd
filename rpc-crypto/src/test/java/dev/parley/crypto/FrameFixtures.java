package dev.parley.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.crypto.internal.channel.Limits;
import dev.parley.crypto.internal.channel.NonceObserver;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Shared inputs of the frame tests: fixed or random session keys, channel pairs, bodies, and the
 * in-place forms wrapped for tests (open or seal a copy, return a copy).
 */
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

  /** The client side of {@code keys} with the default maximum age and the system clock. */
  static ClientChannel client(SessionKeys keys) {
    return ClientChannel.create(keys, ClientChannel.DEFAULT_MAX_AGE, Clock.systemUTC());
  }

  /** The server side of {@code keys} with the default maximum age and the system clock. */
  static ServerChannel server(SessionKeys keys) {
    return ServerChannel.create(keys, ServerChannel.DEFAULT_MAX_AGE, Clock.systemUTC());
  }

  /** An opened request: its counter and a copy of its plaintext. */
  record Opened(long counter, byte[] body) {}

  /**
   * Opens a copy of a request frame in place (the frame itself is left as it is, so a test can
   * send it again) and copies the plaintext out.
   */
  static Opened openRequest(ServerChannel server, byte[] frame, String method, String route) throws CryptoException {
    byte[] buf = frame.clone();
    Plaintext p = server.openRequestInPlace(buf, 0, buf.length, method, route);
    return new Opened(p.counter(), p.toByteArray());
  }

  /** Seals a response around a copy of {@code body} in place and returns the frame alone. */
  static byte[] sealResponse(ServerChannel server, long requestCounter, int status, String method, String route,
      byte[] body) throws CryptoException {
    byte[] buf = Arrays.copyOf(body, server.sealedLength(body.length));
    int length = server.sealResponseInPlace(requestCounter, status, method, route, buf, body.length);
    return Arrays.copyOf(buf, length);
  }

  /**
   * The server opens {@code request} and seals {@code body} as its 200 answer on
   * {@link #METHOD} {@link #ROUTE}; returns the response frame.
   */
  static byte[] answer(ServerChannel server, ClientChannel.Sealed request, byte[] body) throws CryptoException {
    Opened in = openRequest(server, request.frame(), METHOD, ROUTE);
    return sealResponse(server, in.counter(), 200, METHOD, ROUTE, body);
  }

  /** Opens a copy of a response frame in place and copies the plaintext out. */
  static byte[] openResponse(ClientChannel client, byte[] frame, long requestCounter, int status, String method,
      String route) throws CryptoException {
    byte[] buf = frame.clone();
    return client.openResponseInPlace(buf, 0, buf.length, requestCounter, status, method, route).toByteArray();
  }

  /** A client and a server channel of one session. */
  record Pair(ClientChannel client, ServerChannel server) {
    /** Seals a request, opens it, seals the response, opens it: the session works. */
    void assertWorks() throws CryptoException {
      byte[] req = body(100);
      ClientChannel.Sealed s = client.sealRequest(METHOD, ROUTE, req);
      Opened o = openRequest(server, s.frame(), METHOD, ROUTE);
      assertArrayEquals(req, o.body());
      assertEquals(s.counter(), o.counter());
      byte[] resp = body(33);
      byte[] r = sealResponse(server, o.counter(), 200, METHOD, ROUTE, resp);
      assertArrayEquals(resp, openResponse(client, r, s.counter(), 200, METHOD, ROUTE));
    }
  }

  static Pair pair() {
    return pair(fixedKeys(), Limits.DEFAULT, NonceObserver.NONE);
  }

  static Pair pair(SessionKeys keys, Limits limits, NonceObserver observer) {
    Clock clock = Clock.systemUTC();
    return new Pair(ClientChannel.create(keys, ClientChannel.DEFAULT_MAX_AGE, clock, limits, observer),
        ServerChannel.create(keys, ServerChannel.DEFAULT_MAX_AGE, clock, limits, observer));
  }

  /** Asserts the in-place open of (a copy of) a request frame is rejected. */
  static CryptoException assertRequestRejected(ServerChannel server, byte[] frame) {
    return assertThrows(CryptoException.class, () -> openRequest(server, frame, METHOD, ROUTE));
  }

  /**
   * Seals {@code plain} as a request; every copy {@code variants} makes of its frame is rejected
   * and leaves the session working; the genuine frame then still opens, once (no rejected copy
   * marked its counter).
   */
  static void assertRequestVariantsRejected(byte[] plain, Function<byte[], Stream<byte[]>> variants)
      throws CryptoException {
    Pair p = pair();
    byte[] frame = p.client().sealRequest(METHOD, ROUTE, plain).frame();
    for (Iterator<byte[]> it = variants.apply(frame).iterator(); it.hasNext(); ) {
      assertRequestRejected(p.server(), it.next());
      p.assertWorks();
    }
    assertArrayEquals(plain, openRequest(p.server(), frame, METHOD, ROUTE).body());
  }

  /**
   * Seals {@code plain} as the response to a request the server opened; every copy
   * {@code variants} makes of its frame is rejected by the client and leaves the session working;
   * the genuine frame then opens.
   */
  static void assertResponseVariantsRejected(byte[] plain, Function<byte[], Stream<byte[]>> variants)
      throws CryptoException {
    Pair p = pair();
    ClientChannel.Sealed req = p.client().sealRequest(METHOD, ROUTE, body(5));
    byte[] frame = answer(p.server(), req, plain);
    for (Iterator<byte[]> it = variants.apply(frame).iterator(); it.hasNext(); ) {
      byte[] bad = it.next();
      assertThrows(CryptoException.class, () -> openResponse(p.client(), bad, req.counter(), 200, METHOD, ROUTE));
      p.assertWorks();
    }
    assertArrayEquals(plain, openResponse(p.client(), frame, req.counter(), 200, METHOD, ROUTE));
  }

  static byte[] flip(byte[] frame, int offset, int mask) {
    byte[] f = frame.clone();
    f[offset] ^= (byte) mask;
    return f;
  }
}
