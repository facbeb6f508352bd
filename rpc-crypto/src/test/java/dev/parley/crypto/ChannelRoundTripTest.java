package dev.parley.crypto;

import static dev.parley.crypto.FrameFixtures.KIB64;
import static dev.parley.crypto.FrameFixtures.METHOD;
import static dev.parley.crypto.FrameFixtures.MIB;
import static dev.parley.crypto.FrameFixtures.ROUTE;
import static dev.parley.crypto.FrameFixtures.body;
import static dev.parley.crypto.FrameFixtures.openRequest;
import static dev.parley.crypto.FrameFixtures.openResponse;
import static dev.parley.crypto.FrameFixtures.sealResponse;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Requests and responses of every size round-trip between the two sides (PROTOCOL.md §10). */
class ChannelRoundTripTest {
  private static final int REQUEST_HEADER = 29;
  private static final int RESPONSE_HEADER = 37;

  private static long sealedLength(int header, int plain) {
    long chunks = plain == 0 ? 1 : (plain + KIB64 - 1) / KIB64;
    return header + plain + 16 * chunks;
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, KIB64 - 1, KIB64, KIB64 + 1, 2 * KIB64, MIB})
  void requestAndResponseRoundTrip(int size) throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair();
    byte[] req = body(size);
    ClientChannel.Sealed sealed = p.client().sealRequest(METHOD, ROUTE, req);
    assertEquals(sealedLength(REQUEST_HEADER, size), sealed.frame().length);
    FrameFixtures.Opened opened = openRequest(p.server(), sealed.frame(), METHOD, ROUTE);
    assertArrayEquals(req, opened.body());

    byte[] resp = body(size);
    byte[] frame = sealResponse(p.server(), opened.counter(), 200, METHOD, ROUTE, resp);
    assertEquals(sealedLength(RESPONSE_HEADER, size), frame.length);
    assertArrayEquals(resp, openResponse(p.client(), frame, sealed.counter(), 200, METHOD, ROUTE));
  }

  @Test
  void oneMibBodyIsSealedAsSixteenChunks() throws Exception {
    byte[] frame = FrameFixtures.pair().client().sealRequest(METHOD, ROUTE, body(MIB)).frame();
    assertEquals(REQUEST_HEADER + MIB + 16 * 16, frame.length);
  }

  @Test
  void aSealedRequestsTagIsTheLastSixteenBytesOfItsFrame() throws Exception {
    ClientChannel.Sealed sealed = FrameFixtures.pair().client().sealRequest(METHOD, ROUTE, body(KIB64 + 10));
    byte[] frame = sealed.frame();
    assertArrayEquals(Arrays.copyOfRange(frame, frame.length - 16, frame.length), sealed.tag());
  }

  @Test
  void countersIncreaseByOnePerFrameFromZero() throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair();
    for (long i = 0; i < 5; i++) {
      assertEquals(i, p.client().sealRequest(METHOD, ROUTE, body(1)).counter());
    }
  }
}
