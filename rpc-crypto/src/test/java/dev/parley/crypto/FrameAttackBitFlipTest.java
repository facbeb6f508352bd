package dev.parley.crypto;

import static dev.parley.crypto.FrameFixtures.KIB64;
import static dev.parley.crypto.FrameFixtures.METHOD;
import static dev.parley.crypto.FrameFixtures.MIB;
import static dev.parley.crypto.FrameFixtures.ROUTE;
import static dev.parley.crypto.FrameFixtures.assertRequestVariantsRejected;
import static dev.parley.crypto.FrameFixtures.assertResponseVariantsRejected;
import static dev.parley.crypto.FrameFixtures.body;
import static dev.parley.crypto.FrameFixtures.flip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Flipping bit 0x01 or 0x80 at any byte of a frame or reject is detected (PROTOCOL.md §10, §13). */
class FrameAttackBitFlipTest {
  private static final int REQUEST_HEADER = 29;
  private static final int RESPONSE_HEADER = 37;

  @ParameterizedTest
  @ValueSource(ints = {0x01, 0x80})
  void everyFlippedBitOfARequestIsRejected(int mask) throws Exception {
    assertRequestVariantsRejected(body(40), frame -> flips(frame, everyOffset(frame.length), mask));
  }

  @ParameterizedTest
  @ValueSource(ints = {0x01, 0x80})
  void everyFlippedBitOfAResponseIsRejected(int mask) throws Exception {
    assertResponseVariantsRejected(body(40), frame -> flips(frame, everyOffset(frame.length), mask));
  }

  @ParameterizedTest
  @ValueSource(ints = {0x01, 0x80})
  void flippedBitsInEveryChunkOfAOneMibRequestAreRejected(int mask) throws Exception {
    assertRequestVariantsRejected(body(MIB), frame -> flips(frame, sampleOffsets(frame.length, REQUEST_HEADER), mask));
  }

  @ParameterizedTest
  @ValueSource(ints = {0x01, 0x80})
  void flippedBitsInEveryChunkOfAMultiChunkResponseAreRejected(int mask) throws Exception {
    assertResponseVariantsRejected(body(3 * KIB64 + 17),
        frame -> flips(frame, sampleOffsets(frame.length, RESPONSE_HEADER), mask));
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

  private static Set<Integer> everyOffset(int frameLength) {
    return IntStream.range(0, frameLength).boxed().collect(Collectors.toCollection(TreeSet::new));
  }

  /** Copies of {@code frame}, each with the bits {@code mask} flipped at one of {@code offsets}. */
  private static Stream<byte[]> flips(byte[] frame, Set<Integer> offsets, int mask) {
    return offsets.stream().map(off -> flip(frame, off, mask));
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
