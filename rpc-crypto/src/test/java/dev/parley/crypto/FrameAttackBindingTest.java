package dev.parley.crypto;

import static dev.parley.crypto.FrameFixtures.METHOD;
import static dev.parley.crypto.FrameFixtures.ROUTE;
import static dev.parley.crypto.FrameFixtures.answer;
import static dev.parley.crypto.FrameFixtures.assertRequestRejected;
import static dev.parley.crypto.FrameFixtures.body;
import static dev.parley.crypto.FrameFixtures.openRequest;
import static dev.parley.crypto.FrameFixtures.openResponse;
import static dev.parley.crypto.FrameFixtures.sealResponse;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.crypto.internal.channel.Limits;
import dev.parley.crypto.internal.channel.NonceObserver;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** What the associated data and the header bind (PROTOCOL.md §10.1, §10.4). */
class FrameAttackBindingTest {

  @Test
  void aResponseSwappedBetweenTwoInFlightRequestsIsRejected() throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair();
    ClientChannel.Sealed a = p.client().sealRequest(METHOD, ROUTE, body(1));
    ClientChannel.Sealed b = p.client().sealRequest(METHOD, ROUTE, body(2));
    long ca = openRequest(p.server(), a.frame(), METHOD, ROUTE).counter();
    long cb = openRequest(p.server(), b.frame(), METHOD, ROUTE).counter();
    byte[] ra = sealResponse(p.server(), ca, 200, METHOD, ROUTE, body(10));
    byte[] rb = sealResponse(p.server(), cb, 200, METHOD, ROUTE, body(20));
    assertThrows(CryptoException.class, () -> openResponse(p.client(), ra, b.counter(), 200, METHOD, ROUTE));
    assertThrows(CryptoException.class, () -> openResponse(p.client(), rb, a.counter(), 200, METHOD, ROUTE));
    assertArrayEquals(body(10), openResponse(p.client(), ra, a.counter(), 200, METHOD, ROUTE));
    assertArrayEquals(body(20), openResponse(p.client(), rb, b.counter(), 200, METHOD, ROUTE));
  }

  @Test
  void aResponseWhoseRequestCounterWasRewrittenIsRejected() throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair();
    ClientChannel.Sealed a = p.client().sealRequest(METHOD, ROUTE, body(1));
    ClientChannel.Sealed b = p.client().sealRequest(METHOD, ROUTE, body(2));
    byte[] ra = answer(p.server(), a, body(10));
    byte[] forged = ra.clone();
    ByteBuffer.wrap(forged).putLong(29, b.counter());
    assertThrows(CryptoException.class, () -> openResponse(p.client(), forged, b.counter(), 200, METHOD, ROUTE));
    assertArrayEquals(body(10), openResponse(p.client(), ra, a.counter(), 200, METHOD, ROUTE));
  }

  @Test
  void aRequestMovedToAnotherSessionIsRejected() throws Exception {
    FrameFixtures.Pair one = FrameFixtures.pair(FrameFixtures.randomKeys(), Limits.DEFAULT, NonceObserver.NONE);
    FrameFixtures.Pair two = FrameFixtures.pair(FrameFixtures.randomKeys(), Limits.DEFAULT, NonceObserver.NONE);
    byte[] frame = one.client().sealRequest(METHOD, ROUTE, body(10)).frame();
    assertRequestRejected(two.server(), frame);
    // Even with the session id rewritten to the other session's, the keys differ.
    byte[] renamed = frame.clone();
    System.arraycopy(two.client().sessionId(), 0, renamed, 5, 16);
    assertRequestRejected(two.server(), renamed);
    two.assertWorks();
    one.assertWorks();
  }

  @Test
  void aResponseMovedToAnotherSessionIsRejected() throws Exception {
    FrameFixtures.Pair one = FrameFixtures.pair(FrameFixtures.randomKeys(), Limits.DEFAULT, NonceObserver.NONE);
    FrameFixtures.Pair two = FrameFixtures.pair(FrameFixtures.randomKeys(), Limits.DEFAULT, NonceObserver.NONE);
    ClientChannel.Sealed r1 = one.client().sealRequest(METHOD, ROUTE, body(1));
    ClientChannel.Sealed r2 = two.client().sealRequest(METHOD, ROUTE, body(1));
    byte[] resp = answer(one.server(), r1, body(3));
    assertThrows(CryptoException.class, () -> openResponse(two.client(), resp, r2.counter(), 200, METHOD, ROUTE));
    two.assertWorks();
  }

  @Test
  void aRequestOpenedUnderAnotherRouteIsRejected() throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair();
    byte[] frame = p.client().sealRequest(METHOD, ROUTE, body(10)).frame();
    assertThrows(CryptoException.class, () -> openRequest(p.server(), frame, METHOD, "/calc2"));
    assertThrows(CryptoException.class, () -> openRequest(p.server(), frame, METHOD, "/cal"));
    assertArrayEquals(body(10), openRequest(p.server(), frame, METHOD, ROUTE).body());
  }

  @Test
  void aRequestOpenedUnderAnotherMethodIsRejected() throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair();
    byte[] frame = p.client().sealRequest(METHOD, ROUTE, body(10)).frame();
    assertThrows(CryptoException.class, () -> openRequest(p.server(), frame, "PUT", ROUTE));
    assertThrows(CryptoException.class, () -> openRequest(p.server(), frame, "post", ROUTE));
    assertArrayEquals(body(10), openRequest(p.server(), frame, METHOD, ROUTE).body());
  }

  @Test
  void methodAndRouteBoundariesCannotBeShifted() throws Exception {
    // "POST" + "/calc" must not equal "POST/" + "calc": the lengths are part of the AD.
    FrameFixtures.Pair p = FrameFixtures.pair();
    byte[] frame = p.client().sealRequest("POST", "/calc", body(10)).frame();
    assertThrows(CryptoException.class, () -> openRequest(p.server(), frame, "POST/", "calc"));
    assertArrayEquals(body(10), openRequest(p.server(), frame, "POST", "/calc").body());
  }

  @Test
  void aResponseOpenedWithAnotherStatusMethodOrRouteIsRejected() throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair();
    ClientChannel.Sealed req = p.client().sealRequest(METHOD, ROUTE, body(1));
    byte[] resp = answer(p.server(), req, body(3));
    long c = req.counter();
    assertThrows(CryptoException.class, () -> openResponse(p.client(), resp, c, 201, METHOD, ROUTE));
    assertThrows(CryptoException.class, () -> openResponse(p.client(), resp, c, 500, METHOD, ROUTE));
    assertThrows(CryptoException.class, () -> openResponse(p.client(), resp, c, 200, "GET", ROUTE));
    assertThrows(CryptoException.class, () -> openResponse(p.client(), resp, c, 200, METHOD, "/other"));
    assertArrayEquals(body(3), openResponse(p.client(), resp, c, 200, METHOD, ROUTE));
  }

  @Test
  void aFrameOfTheWrongTypeIsRejected() throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair();
    ClientChannel.Sealed req = p.client().sealRequest(METHOD, ROUTE, body(40));
    // A request handed to the client as a response, with its type byte changed.
    byte[] asResponse = req.frame().clone();
    asResponse[0] = 0x06;
    assertThrows(CryptoException.class, () -> openResponse(p.client(), asResponse, 0, 200, METHOD, ROUTE));
    byte[] resp = answer(p.server(), req, body(3));
    byte[] asRequest = resp.clone();
    asRequest[0] = 0x05;
    assertRequestRejected(p.server(), asRequest);
    assertRequestRejected(p.server(), resp);
    p.assertWorks();
  }
}
