package dev.parley.crypto;

import static dev.parley.crypto.FrameFixtures.METHOD;
import static dev.parley.crypto.FrameFixtures.ROUTE;
import static dev.parley.crypto.FrameFixtures.answer;
import static dev.parley.crypto.FrameFixtures.assertRequestRejected;
import static dev.parley.crypto.FrameFixtures.body;
import static dev.parley.crypto.FrameFixtures.flip;
import static dev.parley.crypto.FrameFixtures.openRequest;
import static dev.parley.crypto.FrameFixtures.openResponse;
import static dev.parley.crypto.FrameFixtures.sealResponse;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.crypto.CryptoException.Reason;
import dev.parley.crypto.internal.AesGcm;
import dev.parley.crypto.internal.Hkdf;
import dev.parley.crypto.internal.channel.Limits;
import dev.parley.crypto.internal.channel.NonceObserver;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Counter limits, epochs and the ratchet, maximum age (PROTOCOL.md §12). */
class FrameLimitsTest {
  private static final long BIG = 1L << 32;

  private static FrameFixtures.Pair pair(long epochFrames, long epochBytes, long maxFrames, int maxEpoch) {
    return FrameFixtures.pair(FrameFixtures.fixedKeys(), new Limits(epochFrames, epochBytes, maxFrames, maxEpoch, 4096),
        NonceObserver.NONE);
  }

  /**
   * The first {@code n} request frames of {@code p}, made with one frame an epoch: frame i is in
   * epoch i and holds {@code body(i)}.
   */
  private static byte[][] framesOfOneEpochEach(FrameFixtures.Pair p, int n) throws CryptoException {
    byte[][] frames = new byte[n][];
    for (int i = 0; i < n; i++) {
      frames[i] = p.client().sealRequest(METHOD, ROUTE, body(i)).frame();
    }
    return frames;
  }

  private static int epochOf(byte[] frame) {
    return ByteBuffer.wrap(frame).getInt(1);
  }

  @Test
  void sealingPastTheCounterLimitFailsWithLimitAndNeverWraps() throws Exception {
    FrameFixtures.Pair p = pair(BIG, BIG, 3, 10);
    for (int i = 0; i < 3; i++) {
      p.client().sealRequest(METHOD, ROUTE, body(1));
    }
    for (int i = 0; i < 3; i++) {
      CryptoException e = assertThrows(CryptoException.class, () -> p.client().sealRequest(METHOD, ROUTE, body(1)));
      assertEquals(Reason.LIMIT, e.reason());
    }
  }

  @Test
  void aReceiverRejectsACounterAtItsLimit() throws Exception {
    SessionKeys keys = FrameFixtures.fixedKeys();
    ClientChannel client = ClientChannel.create(keys, Duration.ofHours(1), Clock.systemUTC(),
        new Limits(BIG, BIG, 10, 10, 4096), NonceObserver.NONE);
    ServerChannel server = ServerChannel.create(keys, Duration.ofHours(1), Clock.systemUTC(),
        new Limits(BIG, BIG, 3, 10, 4096), NonceObserver.NONE);
    for (int i = 0; i < 3; i++) {
      openRequest(server, client.sealRequest(METHOD, ROUTE, body(1)).frame(), METHOD, ROUTE);
    }
    assertEquals(Reason.LIMIT, assertRequestRejected(server, client.sealRequest(METHOD, ROUTE, body(1)).frame()).reason());
  }

  @Test
  void theSenderRatchetsAfterEpochFramesAndTheReceiverFollows() throws Exception {
    FrameFixtures.Pair p = pair(2, BIG, BIG, 100);
    int[] expected = {0, 0, 1, 1, 2, 2, 3};
    for (int i = 0; i < expected.length; i++) {
      byte[] frame = p.client().sealRequest(METHOD, ROUTE, body(i)).frame();
      assertEquals(expected[i], epochOf(frame));
      assertArrayEquals(body(i), openRequest(p.server(), frame, METHOD, ROUTE).body());
    }
    assertEquals(3, p.server().receiveEpoch());
  }

  @Test
  void theSenderRatchetsOnceAnEpochSealedItsByteLimit() throws Exception {
    FrameFixtures.Pair p = pair(BIG, 100, BIG, 100);
    byte[] a = p.client().sealRequest(METHOD, ROUTE, body(60)).frame();
    byte[] b = p.client().sealRequest(METHOD, ROUTE, body(60)).frame();   // starts at 60 < 100 bytes
    byte[] c = p.client().sealRequest(METHOD, ROUTE, body(1)).frame();    // 120 >= 100: next epoch
    assertEquals(0, epochOf(a));
    assertEquals(0, epochOf(b));
    assertEquals(1, epochOf(c));
    openRequest(p.server(), a, METHOD, ROUTE);
    openRequest(p.server(), b, METHOD, ROUTE);
    assertArrayEquals(body(1), openRequest(p.server(), c, METHOD, ROUTE).body());
  }

  @Test
  void theNextEpochKeyIsHkdfExpandOfTheOldKeyWithTheRatchetLabel() throws Exception {
    FrameFixtures.Pair p = pair(1, BIG, BIG, 100);
    p.client().sealRequest(METHOD, ROUTE, body(1));
    byte[] frame = p.client().sealRequest(METHOD, ROUTE, body(7)).frame();  // ctr 1, epoch 1
    assertEquals(1, epochOf(frame));
    byte[] k1 = Hkdf.expand(FrameFixtures.fixedKeys().c2sKey(), "parley v1 epoch key".getBytes(StandardCharsets.US_ASCII), 32);
    byte[] nonce = FrameFixtures.fixedKeys().c2sIv();
    nonce[7] ^= 1;            // ctr = 1
    nonce[8] ^= (byte) 0x80;  // chunk 0, last
    byte[] ad = ByteBuffer.allocate(29 + 2 + 4 + 2 + 5).put(frame, 0, 29)
        .putShort((short) 4).put("POST".getBytes(StandardCharsets.US_ASCII))
        .putShort((short) 5).put("/calc".getBytes(StandardCharsets.US_ASCII)).array();
    byte[] out = new byte[7];
    AesGcm.open(AesGcm.key(k1), nonce, ad, frame, 29, frame.length - 29, out, 0);
    assertArrayEquals(body(7), out);
  }

  @Test
  void aFrameOfThePreviousEpochStillOpensAfterTheReceiverMovedOn() throws Exception {
    FrameFixtures.Pair p = pair(1, BIG, BIG, 100);
    byte[][] f = framesOfOneEpochEach(p, 2);
    openRequest(p.server(), f[1], METHOD, ROUTE);
    assertEquals(1, p.server().receiveEpoch());
    assertArrayEquals(body(0), openRequest(p.server(), f[0], METHOD, ROUTE).body());
  }

  @Test
  void aFrameTwoEpochsBehindIsRejected() throws Exception {
    FrameFixtures.Pair p = pair(1, BIG, BIG, 100);
    byte[][] f = framesOfOneEpochEach(p, 3);
    openRequest(p.server(), f[1], METHOD, ROUTE);
    openRequest(p.server(), f[2], METHOD, ROUTE);
    assertEquals(Reason.REPLAY, assertRequestRejected(p.server(), f[0]).reason());
    p.assertWorks();
  }

  @Test
  void aFrameTwoEpochsAheadIsRejectedUntilTheReceiverCatchesUp() throws Exception {
    FrameFixtures.Pair p = pair(1, BIG, BIG, 100);
    byte[][] f = framesOfOneEpochEach(p, 3);
    assertRequestRejected(p.server(), f[2]);
    openRequest(p.server(), f[1], METHOD, ROUTE);
    assertArrayEquals(body(2), openRequest(p.server(), f[2], METHOD, ROUTE).body());
  }

  @Test
  void aForgedNextEpochFrameDoesNotMoveTheReceiver() throws Exception {
    FrameFixtures.Pair p = pair(1, BIG, BIG, 100);
    byte[][] f = framesOfOneEpochEach(p, 2);
    assertRequestRejected(p.server(), flip(f[1], f[1].length - 1, 1));
    assertEquals(0, p.server().receiveEpoch());
    openRequest(p.server(), f[0], METHOD, ROUTE);
    openRequest(p.server(), f[1], METHOD, ROUTE);
    assertEquals(1, p.server().receiveEpoch());
  }

  @Test
  void sealingPastTheLastEpochFailsWithLimit() throws Exception {
    FrameFixtures.Pair p = pair(1, BIG, BIG, 2);
    for (int i = 0; i < 3; i++) {
      p.client().sealRequest(METHOD, ROUTE, body(1));   // epochs 0, 1, 2
    }
    assertEquals(Reason.LIMIT,
        assertThrows(CryptoException.class, () -> p.client().sealRequest(METHOD, ROUTE, body(1))).reason());
  }

  @Test
  void responsesRatchetLikeRequests() throws Exception {
    FrameFixtures.Pair p = pair(1, BIG, BIG, 100);
    for (int i = 0; i < 4; i++) {
      ClientChannel.Sealed req = p.client().sealRequest(METHOD, ROUTE, body(i));
      byte[] resp = answer(p.server(), req, body(i + 1));
      assertEquals(i, epochOf(resp));
      assertArrayEquals(body(i + 1), openResponse(p.client(), resp, req.counter(), 200, METHOD, ROUTE));
    }
    assertEquals(3, p.client().receiveEpoch());
  }

  @Test
  void aSessionPastItsMaximumAgeRefusesToSealWithLimit() throws Exception {
    MutableClock clock = new MutableClock();
    ClientChannel client = ClientChannel.create(FrameFixtures.fixedKeys(), Duration.ofMinutes(30), clock);
    client.sealRequest(METHOD, ROUTE, body(1));
    clock.advance(Duration.ofMinutes(29));
    client.sealRequest(METHOD, ROUTE, body(1));
    clock.advance(Duration.ofMinutes(1));
    assertEquals(Reason.LIMIT,
        assertThrows(CryptoException.class, () -> client.sealRequest(METHOD, ROUTE, body(1))).reason());
  }

  @Test
  void aServerPastItsMaximumAgeRefusesToSealAResponse() throws Exception {
    MutableClock clock = new MutableClock();
    SessionKeys keys = FrameFixtures.fixedKeys();
    ClientChannel client = FrameFixtures.client(keys);
    ServerChannel server = ServerChannel.create(keys, Duration.ofMinutes(30), clock);
    ClientChannel.Sealed req = client.sealRequest(METHOD, ROUTE, body(1));
    openRequest(server, req.frame(), METHOD, ROUTE);
    clock.advance(Duration.ofMinutes(31));
    assertEquals(Reason.LIMIT, assertThrows(CryptoException.class,
        () -> sealResponse(server, req.counter(), 200, METHOD, ROUTE, body(1))).reason());
  }

  @Test
  void aDestroyedChannelNeitherSealsNorOpens() throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair();
    byte[] frame = p.client().sealRequest(METHOD, ROUTE, body(1)).frame();
    p.client().destroy();
    p.server().destroy();
    assertEquals(Reason.EXPIRED,
        assertThrows(CryptoException.class, () -> p.client().sealRequest(METHOD, ROUTE, body(1))).reason());
    assertEquals(Reason.EXPIRED, assertRequestRejected(p.server(), frame).reason());
  }

  @Test
  void theProtocolLimitsAreTheDocumentedOnes() {
    assertEquals(1L << 24, Limits.DEFAULT.epochFrames());
    assertEquals(1L << 36, Limits.DEFAULT.epochBytes());
    assertEquals(1L << 32, Limits.DEFAULT.maxFrames());
    assertEquals(0xFFFF, Limits.DEFAULT.maxEpoch());
    assertEquals(4096, Limits.DEFAULT.replayWindow());
  }
}
