package dev.parley.crypto;

import static dev.parley.crypto.FrameFixtures.KIB64;
import static dev.parley.crypto.FrameFixtures.METHOD;
import static dev.parley.crypto.FrameFixtures.ROUTE;
import static dev.parley.crypto.FrameFixtures.assertRequestRejected;
import static dev.parley.crypto.FrameFixtures.assertRequestVariantsRejected;
import static dev.parley.crypto.FrameFixtures.assertResponseVariantsRejected;
import static dev.parley.crypto.FrameFixtures.body;
import static dev.parley.crypto.FrameFixtures.openRequest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.parley.crypto.CryptoException.Reason;
import java.util.Arrays;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Cut or lengthened frames and rejects are detected (PROTOCOL.md §10.2, §13). */
class FrameAttackTruncationTest {
  private static final int REQUEST_HEADER = 29;
  private static final int SEALED_CHUNK = KIB64 + 16;

  @Test
  void everyTruncationOfASmallRequestIsRejected() throws Exception {
    assertRequestVariantsRejected(body(40), frame -> IntStream.range(0, frame.length).mapToObj(len -> Arrays.copyOf(frame, len)));
  }

  @Test
  void truncationsAroundEveryChunkBoundaryOfAMultiChunkRequestAreRejected() throws Exception {
    assertRequestVariantsRejected(body(2 * KIB64 + 100), frame -> {
      TreeSet<Integer> lengths = new TreeSet<>();
      for (int boundary = REQUEST_HEADER; boundary < frame.length; boundary += SEALED_CHUNK) {
        for (int d = -17; d <= 17; d++) {
          int len = boundary + d;
          if (len >= 0 && len < frame.length) {
            lengths.add(len);
          }
        }
      }
      for (int len = frame.length - 17; len < frame.length; len++) {
        lengths.add(len);
      }
      return lengths.stream().map(len -> Arrays.copyOf(frame, len));
    });
  }

  @Test
  void aFrameShorterThanItsHeaderAndOneTagIsMalformed() throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair();
    byte[] frame = p.client().sealRequest(METHOD, ROUTE, body(0)).frame();
    for (int len = 0; len < REQUEST_HEADER + 16; len++) {
      assertEquals(Reason.MALFORMED, assertRequestRejected(p.server(), Arrays.copyOf(frame, len)).reason());
    }
    assertArrayEquals(body(0), openRequest(p.server(), frame, METHOD, ROUTE).body());
  }

  @Test
  void appendedBytesAreRejected() throws Exception {
    assertRequestVariantsRejected(body(40), frame -> IntStream.of(1, 15, 16, 17, SEALED_CHUNK, SEALED_CHUNK + 1)
        .mapToObj(extra -> Arrays.copyOf(frame, frame.length + extra)));
  }

  @Test
  void aFullLastChunkFollowedByMoreBytesIsRejected() throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair();
    byte[] plain = body(KIB64);
    byte[] frame = p.client().sealRequest(METHOD, ROUTE, plain).frame();
    // The last chunk is full, so a receiver must see the end of input to take it as last.
    byte[] other = p.client().sealRequest(METHOD, ROUTE, body(0)).frame();
    byte[] extended = Arrays.copyOf(frame, frame.length + 16);
    System.arraycopy(other, other.length - 16, extended, frame.length, 16);
    assertRequestRejected(p.server(), extended);
    assertArrayEquals(plain, openRequest(p.server(), frame, METHOD, ROUTE).body());
  }

  @Test
  void everyTruncationOfAResponseIsRejected() throws Exception {
    assertResponseVariantsRejected(body(40),
        frame -> IntStream.rangeClosed(0, frame.length + 1).filter(len -> len != frame.length)
            .mapToObj(len -> Arrays.copyOf(frame, len)));
  }

  @Test
  void everyTruncationAndExtensionOfARejectFailsVerification() throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair();
    ClientChannel.Sealed req = p.client().sealRequest(METHOD, ROUTE, body(5));
    byte[] reject = FrameFixtures.INSTANCE.reject(req.frame(), ROUTE);
    for (int len = 0; len < reject.length; len++) {
      assertNotEquals(ClientChannel.RejectCheck.VERIFIED, p.client().checkReject(Arrays.copyOf(reject, len), req.counter(), req.tag(), ROUTE), "length " + len);
    }
    for (int extra : new int[] {1, 31, 32, 33}) {
      assertNotEquals(ClientChannel.RejectCheck.VERIFIED, p.client().checkReject(Arrays.copyOf(reject, reject.length + extra), req.counter(), req.tag(), ROUTE));
    }
    assertEquals(ClientChannel.RejectCheck.VERIFIED, p.client().checkReject(reject, req.counter(), req.tag(), ROUTE));
  }
}
