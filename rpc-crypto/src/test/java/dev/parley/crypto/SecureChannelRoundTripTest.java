package dev.parley.crypto;

import static dev.parley.crypto.FrameFixtures.KIB64;
import static dev.parley.crypto.FrameFixtures.METHOD;
import static dev.parley.crypto.FrameFixtures.MIB;
import static dev.parley.crypto.FrameFixtures.ROUTE;
import static dev.parley.crypto.FrameFixtures.body;
import static dev.parley.crypto.FrameFixtures.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SecureChannelRoundTripTest {
  private static final int REQUEST_HEADER = 29;
  private static final int RESPONSE_HEADER = 37;

  private static long sealedLength(int header, int plain) {
    long chunks = plain == 0 ? 1 : (plain + KIB64 - 1) / KIB64;
    return header + plain + 16 * chunks;
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, KIB64 - 1, KIB64, KIB64 + 1, 2 * KIB64, MIB})
  void requestAndResponseRoundTripAsByteArrays(int size) throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair();
    byte[] req = body(size);
    SecureChannel.Sealed sealed = p.client().sealRequest(METHOD, ROUTE, req);
    assertEquals(sealedLength(REQUEST_HEADER, size), sealed.frame().length);
    SecureChannel.Opened opened = p.server().openRequest(sealed.frame(), METHOD, ROUTE);
    assertArrayEquals(req, opened.body());

    byte[] resp = body(size);
    byte[] frame = p.server().sealResponse(opened.counter(), 200, METHOD, ROUTE, resp);
    assertEquals(sealedLength(RESPONSE_HEADER, size), frame.length);
    assertArrayEquals(resp, p.client().openResponse(frame, sealed.counter(), 200, METHOD, ROUTE));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, KIB64, KIB64 + 1, MIB})
  void streamingSealProducesTheSameBytesAsTheArrayForm(int size) throws Exception {
    SecureChannel a = FrameFixtures.pair().client();
    SecureChannel b = FrameFixtures.pair().client();
    byte[] req = body(size);
    byte[] viaArray = a.sealRequest(METHOD, ROUTE, req).frame();
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (SecureChannel.SealingStream out = b.sealRequest(METHOD, ROUTE, sink)) {
      out.write(req);
    }
    assertArrayEquals(viaArray, sink.toByteArray());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, KIB64, KIB64 + 1, MIB})
  void requestAndResponseRoundTripAsStreams(int size) throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair();
    byte[] req = body(size);
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    long reqCtr;
    try (SecureChannel.SealingStream out = p.client().sealRequest(METHOD, ROUTE, wire)) {
      reqCtr = out.counter();
      writeInOddPieces(out, req);
    }
    SecureChannel.OpeningStream in = p.server().openRequest(new ByteArrayInputStream(wire.toByteArray()), METHOD, ROUTE);
    assertEquals(reqCtr, in.counter());
    assertArrayEquals(req, readAll(in));

    byte[] resp = body(size);
    ByteArrayOutputStream wire2 = new ByteArrayOutputStream();
    try (SecureChannel.SealingStream out = p.server().sealResponse(in.counter(), 201, METHOD, ROUTE, wire2)) {
      writeInOddPieces(out, resp);
    }
    InputStream back = p.client().openResponse(new ByteArrayInputStream(wire2.toByteArray()), reqCtr, 201, METHOD, ROUTE);
    assertArrayEquals(resp, readAll(back));
  }

  @Test
  void oneByteAtATimeStreamingMatchesTheArrayForm() throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair();
    byte[] req = body(KIB64 + 3);
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    try (SecureChannel.SealingStream out = p.client().sealRequest(METHOD, ROUTE, wire)) {
      for (byte b : req) {
        out.write(b);
      }
    }
    InputStream in = p.server().openRequest(new ByteArrayInputStream(wire.toByteArray()), METHOD, ROUTE);
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    for (int c = in.read(); c >= 0; c = in.read()) {
      plain.write(c);
    }
    assertArrayEquals(req, plain.toByteArray());
  }

  @Test
  void streamingOpenReleasesTheFirstChunkBeforeTheRestArrives() throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair();
    byte[] frame = p.client().sealRequest(METHOD, ROUTE, body(3 * KIB64)).frame();
    // The source yields the header, the first chunk and one byte more, then fails.
    int available = REQUEST_HEADER + KIB64 + 16 + 1;
    InputStream source = new InputStream() {
      private int pos;

      @Override
      public int read() throws IOException {
        if (pos >= available) {
          throw new IOException("rest not yet arrived");
        }
        return frame[pos++] & 0xFF;
      }
    };
    InputStream in = p.server().openRequest(source, METHOD, ROUTE);
    byte[] first = in.readNBytes(KIB64);
    assertArrayEquals(java.util.Arrays.copyOf(body(3 * KIB64), KIB64), first);
    assertThrows(IOException.class, in::read);
  }

  @Test
  void anOpeningStreamClosedBeforeTheEndNeverReadsAsACleanEnd() throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair();
    byte[] frame = p.client().sealRequest(METHOD, ROUTE, body(2 * KIB64)).frame();
    InputStream in = p.server().openRequest(new ByteArrayInputStream(frame), METHOD, ROUTE);
    in.readNBytes(10);
    in.close();
    assertThrows(IOException.class, in::read);
  }

  @Test
  void oneMibBodyIsSealedAsSixteenChunks() throws Exception {
    byte[] frame = FrameFixtures.pair().client().sealRequest(METHOD, ROUTE, body(MIB)).frame();
    assertEquals(REQUEST_HEADER + MIB + 16 * 16, frame.length);
  }

  @Test
  void finishLeavesTheSinkOpenAndGivesTheTag() throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair();
    boolean[] closed = {false};
    ByteArrayOutputStream wire = new ByteArrayOutputStream() {
      @Override
      public void close() {
        closed[0] = true;
      }
    };
    SecureChannel.SealingStream out = p.client().sealRequest(METHOD, ROUTE, wire);
    out.write(body(10));
    out.finish();
    byte[] frame = wire.toByteArray();
    assertTrue(!closed[0]);
    assertArrayEquals(java.util.Arrays.copyOfRange(frame, frame.length - 16, frame.length), out.tag());
    assertThrows(IOException.class, () -> out.write(1));
  }

  @Test
  void countersIncreaseByOnePerFrameFromZero() throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair();
    for (long i = 0; i < 5; i++) {
      assertEquals(i, p.client().sealRequest(METHOD, ROUTE, body(1)).counter());
    }
  }

  private static void writeInOddPieces(OutputStream out, byte[] data) throws IOException {
    int at = 0;
    int piece = 1;
    while (at < data.length) {
      int n = Math.min(piece, data.length - at);
      out.write(data, at, n);
      at += n;
      piece = piece * 3 + 7;
    }
  }
}
