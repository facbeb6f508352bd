package dev.parley.crypto;

import static dev.parley.crypto.FrameFixtures.KIB64;
import static dev.parley.crypto.FrameFixtures.METHOD;
import static dev.parley.crypto.FrameFixtures.MIB;
import static dev.parley.crypto.FrameFixtures.ROUTE;
import static dev.parley.crypto.FrameFixtures.assertRequestRejected;
import static dev.parley.crypto.FrameFixtures.body;
import static dev.parley.crypto.FrameFixtures.flip;
import static dev.parley.crypto.FrameFixtures.openRequest;
import static dev.parley.crypto.FrameFixtures.openResponse;
import static dev.parley.crypto.FrameFixtures.sealResponse;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Flipping bit 0x01 or 0x80 at any byte of a frame or reject is detected (PROTOCOL.md §10, §13). */
class FrameAttackBitFlipTest {
  private static final int REQUEST_HEADER = 29;
  private static final int RESPONSE_HEADER = 37;

  @ParameterizedTest
  @ValueSource(ints = {0x01, 0x80})
  void everyFlippedBitOfARequestIsRejected(int mask) throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair();
    byte[] plain = body(40);
    byte[] frame = p.client().sealRequest(METHOD, ROUTE, plain).frame();
    for (int off = 0; off < frame.length; off++) {
      byte[] bad = flip(frame, off, mask);
      assertRequestRejected(p.server(), bad);
      p.assertWorks();
    }
    // No rejected copy marked the counter: the genuine frame still opens, once.
    assertArrayEquals(plain, openRequest(p.server(), frame, METHOD, ROUTE).body());
  }

  @ParameterizedTest
  @ValueSource(ints = {0x01, 0x80})
  void everyFlippedBitOfAResponseIsRejected(int mask) throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair();
    ClientChannel.Sealed req = p.client().sealRequest(METHOD, ROUTE, body(5));
    FrameFixtures.Opened in = openRequest(p.server(), req.frame(), METHOD, ROUTE);
    byte[] plain = body(40);
    byte[] frame = sealResponse(p.server(), in.counter(), 200, METHOD, ROUTE, plain);
    for (int off = 0; off < frame.length; off++) {
      byte[] bad = flip(frame, off, mask);
      assertThrows(CryptoException.class, () -> openResponse(p.client(), bad, req.counter(), 200, METHOD, ROUTE));
      p.assertWorks();
    }
    assertArrayEquals(plain, openResponse(p.client(), frame, req.counter(), 200, METHOD, ROUTE));
  }

  @ParameterizedTest
  @ValueSource(ints = {0x01, 0x80})
  void flippedBitsInEveryChunkOfAOneMibRequestAreRejected(int mask) throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair();
    byte[] plain = body(MIB);
    byte[] frame = p.client().sealRequest(METHOD, ROUTE, plain).frame();
    for (int off : sampleOffsets(frame.length, REQUEST_HEADER)) {
      byte[] bad = flip(frame, off, mask);
      assertRequestRejected(p.server(), bad);
    }
    p.assertWorks();
    assertArrayEquals(plain, openRequest(p.server(), frame, METHOD, ROUTE).body());
  }

  @ParameterizedTest
  @ValueSource(ints = {0x01, 0x80})
  void flippedBitsInEveryChunkOfAMultiChunkResponseAreRejected(int mask) throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair();
    ClientChannel.Sealed req = p.client().sealRequest(METHOD, ROUTE, body(5));
    FrameFixtures.Opened in = openRequest(p.server(), req.frame(), METHOD, ROUTE);
    byte[] plain = body(3 * KIB64 + 17);
    byte[] frame = sealResponse(p.server(), in.counter(), 200, METHOD, ROUTE, plain);
    for (int off : sampleOffsets(frame.length, RESPONSE_HEADER)) {
      byte[] bad = flip(frame, off, mask);
      assertThrows(CryptoException.class, () -> openResponse(p.client(), bad, req.counter(), 200, METHOD, ROUTE));
    }
    p.assertWorks();
    assertArrayEquals(plain, openResponse(p.client(), frame, req.counter(), 200, METHOD, ROUTE));
  }

  @ParameterizedTest
  @ValueSource(ints = {0x01, 0x80})
  void everyFlippedBitOfARejectFailsVerification(int mask) throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair();
    ClientChannel.Sealed req = p.client().sealRequest(METHOD, ROUTE, body(5));
    byte[] reject = FrameFixtures.INSTANCE.reject(req.frame(), ROUTE);
    for (int off = 0; off < reject.length; off++) {
      assertNotEquals(ClientChannel.RejectCheck.VERIFIED, p.client().checkReject(flip(reject, off, mask), req.counter(), req.tag(), ROUTE), "offset " + off);
    }
    assertEquals(ClientChannel.RejectCheck.VERIFIED, p.client().checkReject(reject, req.counter(), req.tag(), ROUTE));
    p.assertWorks();
  }

  /** Every header byte, and in every chunk its first bytes, a middle byte and its last 20 (tag included). */
  static TreeSet<Integer> sampleOffsets(int frameLength, int header) {
    TreeSet<Integer> offsets = new TreeSet<>();
    for (int i = 0; i < header; i++) {
      offsets.add(i);
    }
    int sealedChunk = KIB64 + 16;
    for (int start = header; start < frameLength; start += sealedChunk) {
      int end = Math.min(start + sealedChunk, frameLength);
      for (int i = 0; i < 4; i++) {
        offsets.add(start + i);
      }
      offsets.add((start + end) / 2);
      for (int i = Math.max(start, end - 20); i < end; i++) {
        offsets.add(i);
      }
    }
    return offsets;
  }
}
