package dev.parley.crypto;

import static dev.parley.crypto.FrameFixtures.METHOD;
import static dev.parley.crypto.FrameFixtures.ROUTE;
import static dev.parley.crypto.FrameFixtures.assertRequestRejected;
import static dev.parley.crypto.FrameFixtures.body;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.crypto.internal.channel.Limits;
import dev.parley.crypto.internal.channel.NonceObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** What the associated data and the header bind (PROTOCOL.md §10.1, §10.4). */
class FrameAttackBindingTest {

  @Test
  void aResponseSwappedBetweenTwoInFlightRequestsIsRejected() throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair();
    SecureChannel.Sealed a = p.client().sealRequest(METHOD, ROUTE, body(1));
    SecureChannel.Sealed b = p.client().sealRequest(METHOD, ROUTE, body(2));
    long ca = p.server().openRequest(a.frame(), METHOD, ROUTE).counter();
    long cb = p.server().openRequest(b.frame(), METHOD, ROUTE).counter();
    byte[] ra = p.server().sealResponse(ca, 200, METHOD, ROUTE, body(10));
    byte[] rb = p.server().sealResponse(cb, 200, METHOD, ROUTE, body(20));
    assertThrows(CryptoException.class, () -> p.client().openResponse(ra, b.counter(), 200, METHOD, ROUTE));
    assertThrows(CryptoException.class, () -> p.client().openResponse(rb, a.counter(), 200, METHOD, ROUTE));
    assertThrows(CryptoException.class, () -> p.client().openResponse(new ByteArrayInputStream(ra), b.counter(), 200,
        METHOD, ROUTE));
    assertArrayEquals(body(10), p.client().openResponse(ra, a.counter(), 200, METHOD, ROUTE));
    assertArrayEquals(body(20), p.client().openResponse(rb, b.counter(), 200, METHOD, ROUTE));
  }

  @Test
  void aResponseWhoseRequestCounterWasRewrittenIsRejected() throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair();
    SecureChannel.Sealed a = p.client().sealRequest(METHOD, ROUTE, body(1));
    SecureChannel.Sealed b = p.client().sealRequest(METHOD, ROUTE, body(2));
    p.server().openRequest(a.frame(), METHOD, ROUTE);
    byte[] ra = p.server().sealResponse(a.counter(), 200, METHOD, ROUTE, body(10));
    byte[] forged = ra.clone();
    ByteBuffer.wrap(forged).putLong(29, b.counter());
    assertThrows(CryptoException.class, () -> p.client().openResponse(forged, b.counter(), 200, METHOD, ROUTE));
    assertArrayEquals(body(10), p.client().openResponse(ra, a.counter(), 200, METHOD, ROUTE));
  }

  @Test
  void aRequestMovedToAnotherSessionIsRejected() throws Exception {
    FrameFixtures.Pair one = FrameFixtures.pair(FrameFixtures.randomKeys(), Limits.DEFAULT, NonceObserver.NONE);
    FrameFixtures.Pair two = FrameFixtures.pair(FrameFixtures.randomKeys(), Limits.DEFAULT, NonceObserver.NONE);
    byte[] frame = one.client().sealRequest(METHOD, ROUTE, body(10)).frame();
    assertRequestRejected(two.server(), frame);
    // Even with the session id rewritten to the other session's, the keys differ.
    byte[] renamed = frame.clone();
    System.arraycopy(two.server().sessionId(), 0, renamed, 5, 16);
    assertRequestRejected(two.server(), renamed);
    two.assertWorks();
    one.assertWorks();
  }

  @Test
  void aResponseMovedToAnotherSessionIsRejected() throws Exception {
    FrameFixtures.Pair one = FrameFixtures.pair(FrameFixtures.randomKeys(), Limits.DEFAULT, NonceObserver.NONE);
    FrameFixtures.Pair two = FrameFixtures.pair(FrameFixtures.randomKeys(), Limits.DEFAULT, NonceObserver.NONE);
    SecureChannel.Sealed r1 = one.client().sealRequest(METHOD, ROUTE, body(1));
    SecureChannel.Sealed r2 = two.client().sealRequest(METHOD, ROUTE, body(1));
    one.server().openRequest(r1.frame(), METHOD, ROUTE);
    byte[] resp = one.server().sealResponse(r1.counter(), 200, METHOD, ROUTE, body(3));
    assertThrows(CryptoException.class, () -> two.client().openResponse(resp, r2.counter(), 200, METHOD, ROUTE));
    two.assertWorks();
  }

  @Test
  void aRequestOpenedUnderAnotherRouteIsRejected() throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair();
    byte[] frame = p.client().sealRequest(METHOD, ROUTE, body(10)).frame();
    assertThrows(CryptoException.class, () -> p.server().openRequest(frame, METHOD, "/calc2"));
    assertThrows(CryptoException.class, () -> p.server().openRequest(frame, METHOD, "/cal"));
    IOException e = assertThrows(IOException.class, () -> FrameFixtures.readAll(
        p.server().openRequest(new ByteArrayInputStream(frame), METHOD, "/other")));
    assertInstanceOf(CryptoException.class, e.getCause());
    assertArrayEquals(body(10), p.server().openRequest(frame, METHOD, ROUTE).body());
  }

  @Test
  void aRequestOpenedUnderAnotherMethodIsRejected() throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair();
    byte[] frame = p.client().sealRequest(METHOD, ROUTE, body(10)).frame();
    assertThrows(CryptoException.class, () -> p.server().openRequest(frame, "PUT", ROUTE));
    assertThrows(CryptoException.class, () -> p.server().openRequest(frame, "post", ROUTE));
    assertArrayEquals(body(10), p.server().openRequest(frame, METHOD, ROUTE).body());
  }

  @Test
  void methodAndRouteBoundariesCannotBeShifted() throws Exception {
    // "POST" + "/calc" must not equal "POST/" + "calc": the lengths are part of the AD.
    FrameFixtures.Pair p = FrameFixtures.pair();
    byte[] frame = p.client().sealRequest("POST", "/calc", body(10)).frame();
    assertThrows(CryptoException.class, () -> p.server().openRequest(frame, "POST/", "calc"));
    assertArrayEquals(body(10), p.server().openRequest(frame, "POST", "/calc").body());
  }

  @Test
  void aResponseOpenedWithAnotherStatusMethodOrRouteIsRejected() throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair();
    SecureChannel.Sealed req = p.client().sealRequest(METHOD, ROUTE, body(1));
    p.server().openRequest(req.frame(), METHOD, ROUTE);
    byte[] resp = p.server().sealResponse(req.counter(), 200, METHOD, ROUTE, body(3));
    long c = req.counter();
    assertThrows(CryptoException.class, () -> p.client().openResponse(resp, c, 201, METHOD, ROUTE));
    assertThrows(CryptoException.class, () -> p.client().openResponse(resp, c, 500, METHOD, ROUTE));
    assertThrows(CryptoException.class, () -> p.client().openResponse(resp, c, 200, "GET", ROUTE));
    assertThrows(CryptoException.class, () -> p.client().openResponse(resp, c, 200, METHOD, "/other"));
    assertArrayEquals(body(3), p.client().openResponse(resp, c, 200, METHOD, ROUTE));
  }

  @Test
  void aFrameOfTheWrongTypeIsRejected() throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair();
    SecureChannel.Sealed req = p.client().sealRequest(METHOD, ROUTE, body(40));
    // A request handed to the client as a response, with its type byte changed.
    byte[] asResponse = req.frame().clone();
    asResponse[0] = 0x06;
    assertThrows(CryptoException.class, () -> p.client().openResponse(asResponse, 0, 200, METHOD, ROUTE));
    p.server().openRequest(req.frame(), METHOD, ROUTE);
    byte[] resp = p.server().sealResponse(req.counter(), 200, METHOD, ROUTE, body(3));
    byte[] asRequest = resp.clone();
    asRequest[0] = 0x05;
    assertRequestRejected(p.server(), asRequest);
    assertRequestRejected(p.server(), resp);
    p.assertWorks();
  }
}
