package dev.parley.crypto;

import static dev.parley.crypto.FrameFixtures.METHOD;
import static dev.parley.crypto.FrameFixtures.ROUTE;
import static dev.parley.crypto.FrameFixtures.assertRequestRejected;
import static dev.parley.crypto.FrameFixtures.body;
import static dev.parley.crypto.FrameFixtures.flip;
import static dev.parley.crypto.FrameFixtures.openRequest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.crypto.CryptoException.Reason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Replayed and reordered requests (PROTOCOL.md §11: check, open, then mark). */
class FrameAttackReplayTest {

  @Test
  void aByteIdenticalResendIsRejected() throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair();
    byte[] frame = p.client().sealRequest(METHOD, ROUTE, body(10)).frame();
    openRequest(p.server(), frame, METHOD, ROUTE);
    assertEquals(Reason.REPLAY, assertRequestRejected(p.server(), frame).reason());
    p.assertWorks();
  }

  @Test
  void framesArrivingInReverseOrderAreEachAcceptedExactlyOnce() throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair();
    List<byte[]> frames = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      frames.add(p.client().sealRequest(METHOD, ROUTE, body(i)).frame());
    }
    for (int i = frames.size() - 1; i >= 0; i--) {
      assertArrayEquals(body(i), openRequest(p.server(), frames.get(i), METHOD, ROUTE).body());
    }
    for (byte[] f : frames) {
      assertEquals(Reason.REPLAY, assertRequestRejected(p.server(), f).reason());
    }
    p.assertWorks();
  }

  @Test
  void aFrameOlderThanTheWindowIsRejectedAndOneJustInsideIsAccepted() throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair();
    byte[] oldest = p.client().sealRequest(METHOD, ROUTE, body(1)).frame();        // ctr 0
    byte[] insideEdge = p.client().sealRequest(METHOD, ROUTE, body(1)).frame();    // ctr 1
    byte[] last = null;
    for (int i = 2; i <= 4096; i++) {                                               // ctr 2 .. 4096
      last = p.client().sealRequest(METHOD, ROUTE, body(1)).frame();
    }
    openRequest(p.server(), last, METHOD, ROUTE);                                    // highest = 4096
    assertEquals(Reason.REPLAY, assertRequestRejected(p.server(), oldest).reason()); // 4096 behind
    openRequest(p.server(), insideEdge, METHOD, ROUTE);                              // 4095 behind
    p.assertWorks();
  }

  @Test
  void aTamperedCopyDoesNotUseUpTheCounter() throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair();
    byte[] frame = p.client().sealRequest(METHOD, ROUTE, body(10)).frame();
    assertRequestRejected(p.server(), flip(frame, frame.length - 1, 0x01));
    assertArrayEquals(body(10), openRequest(p.server(), frame, METHOD, ROUTE).body());
  }
}
