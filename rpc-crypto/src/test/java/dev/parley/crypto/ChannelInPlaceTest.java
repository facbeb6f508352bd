package dev.parley.crypto;

import static dev.parley.crypto.FrameFixtures.KIB64;
import static dev.parley.crypto.FrameFixtures.METHOD;
import static dev.parley.crypto.FrameFixtures.MIB;
import static dev.parley.crypto.FrameFixtures.ROUTE;
import static dev.parley.crypto.FrameFixtures.body;
import static dev.parley.crypto.FrameFixtures.fixedKeys;
import static dev.parley.crypto.FrameFixtures.openResponse;
import static dev.parley.crypto.FrameFixtures.sealResponse;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.crypto.CryptoException.Reason;
import dev.parley.crypto.internal.AesGcm;
import dev.parley.crypto.internal.channel.FrameFormat;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The in-place forms: opening a frame inside its own array and sealing a response inside the
 * buffer that holds its body produce and accept exactly the frames of PROTOCOL.md §10.2, with the
 * checks of §10.5 and §11.
 */
class ChannelInPlaceTest {

  /** Two channels of one side over the same fixed keys start at counter 0 and seal identical frames. */
  private static ClientChannel client() {
    return FrameFixtures.client(fixedKeys());
  }

  private static ServerChannel server() {
    return FrameFixtures.server(fixedKeys());
  }

  /**
   * The frame of PROTOCOL.md §10.2 built here chunk by chunk, straight from the specification's
   * formulas and epoch 0's key: header ‖ Seal(K, nonce(ctr, i, last), AD, P_i) for every chunk.
   */
  private static byte[] specifiedFrame(byte type, byte[] key, byte[] iv, long ctr, long reqCtr, int status,
      byte[] body) {
    byte[] header = FrameFormat.header(type, 0, fixedKeys().sessionId(), ctr, reqCtr);
    byte[] ad = FrameFormat.associatedData(header, header.length, METHOD, ROUTE, status);
    int chunks = body.length == 0 ? 1 : (body.length + KIB64 - 1) / KIB64;
    byte[] frame = Arrays.copyOf(header, header.length + body.length + 16 * chunks);
    int at = header.length;
    for (int i = 0; i < chunks; i++) {
      int n = Math.min(KIB64, body.length - i * KIB64);
      byte[] nonce = FrameFormat.nonce(iv, ctr, i, i == chunks - 1);
      at += AesGcm.seal(AesGcm.key(key), nonce, ad, body, i * KIB64, n, frame, at);
    }
    return frame;
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, KIB64, KIB64 + 1, MIB})
  void aRequestOpenedInPlaceIsAViewIntoItsFrameRightAfterTheHeader(int size) throws Exception {
    byte[] buf = client().sealRequest(METHOD, ROUTE, body(size)).frame();

    Plaintext p = server().openRequestInPlace(buf, 0, buf.length, METHOD, ROUTE);

    assertSame(buf, p.array());
    assertEquals(29, p.offset());
    assertEquals(0, p.counter());
    assertArrayEquals(body(size), p.toByteArray());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, KIB64, KIB64 + 1, MIB})
  void aResponseOpenedInPlaceIsAViewIntoItsFrameRightAfterTheHeader(int size) throws Exception {
    byte[] buf = sealResponse(server(), 5, 200, METHOD, ROUTE, body(size));

    Plaintext p = client().openResponseInPlace(buf, 0, buf.length, 5, 200, METHOD, ROUTE);

    assertSame(buf, p.array());
    assertEquals(37, p.offset());
    assertArrayEquals(body(size), p.toByteArray());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, KIB64 - 1, KIB64, KIB64 + 1, 3 * KIB64 + 5, MIB})
  void aRequestIsByteForByteTheSpecifiedFrame(int size) throws Exception {
    SessionKeys keys = fixedKeys();
    ClientChannel.Sealed sealed = client().sealRequest(METHOD, ROUTE, body(size));
    assertArrayEquals(specifiedFrame(FrameFormat.TYPE_REQUEST, keys.c2sKey(), keys.c2sIv(), 0, 0, -1, body(size)),
        sealed.frame());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, KIB64 - 1, KIB64, KIB64 + 1, 3 * KIB64 + 5, MIB})
  void aResponseSealedInPlaceIsByteForByteTheSpecifiedFrame(int size) throws Exception {
    SessionKeys keys = fixedKeys();
    byte[] body = body(size);
    ServerChannel inPlace = server();
    byte[] buf = Arrays.copyOf(body, inPlace.sealedLength(size) + 7);   // room to spare, as a growable buffer has

    int length = inPlace.sealResponseInPlace(9, 201, METHOD, ROUTE, buf, size);

    byte[] specified = specifiedFrame(FrameFormat.TYPE_RESPONSE, keys.s2cKey(), keys.s2cIv(), 0, 9, 201, body);
    assertEquals(specified.length, length);
    assertArrayEquals(specified, Arrays.copyOf(buf, length));
    assertArrayEquals(body, openResponse(client(), Arrays.copyOf(buf, length), 9, 201, METHOD, ROUTE));
  }

  @Test
  void anArrayTooShortForTheFrameIsRefusedBeforeACounterIsTaken() throws Exception {
    ServerChannel server = server();
    byte[] body = body(KIB64 + 1);
    byte[] tooShort = Arrays.copyOf(body, server.sealedLength(body.length) - 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> server.sealResponseInPlace(9, 200, METHOD, ROUTE, tooShort, body.length));
    assertTrue(e.getMessage().contains("sealedLength"), e.getMessage());
    // The refused call took no counter: the next frame is the one a fresh channel seals first.
    byte[] buf = Arrays.copyOf(body, server.sealedLength(body.length));
    server.sealResponseInPlace(9, 200, METHOD, ROUTE, buf, body.length);
    assertArrayEquals(sealResponse(server(), 9, 200, METHOD, ROUTE, body), buf);
  }

  @Test
  void sealedLengthIsTheHeaderTheBodyAndOneTagPerChunk() {
    assertEquals(37 + 16, server().sealedLength(0));
    assertEquals(37 + KIB64 + 16, server().sealedLength(KIB64));
    assertEquals(37 + KIB64 + 1 + 32, server().sealedLength(KIB64 + 1));
    assertEquals(37 + MIB + 16 * 16, server().sealedLength(MIB));
    assertThrows(IllegalArgumentException.class, () -> server().sealedLength(-1));
  }

  @Test
  void aTamperedFrameOpenedInPlaceIsRejectedAndDoesNotBurnTheHonestFramesCounter() throws Exception {
    ServerChannel server = server();
    byte[] honest = client().sealRequest(METHOD, ROUTE, body(KIB64 + 100)).frame();
    byte[] tampered = FrameFixtures.flip(honest, honest.length - 1, 0x01);

    CryptoException e = assertThrows(CryptoException.class,
        () -> server.openRequestInPlace(tampered, 0, tampered.length, METHOD, ROUTE));
    assertEquals(Reason.AUTHENTICATION, e.reason());

    byte[] buf = honest.clone();
    assertArrayEquals(body(KIB64 + 100), server.openRequestInPlace(buf, 0, buf.length, METHOD, ROUTE).toByteArray());
  }

  @Test
  void aFrameWhoseLastChunkFailsLeavesNoDecryptedChunkInTheBuffer() throws Exception {
    byte[] frame = client().sealRequest(METHOD, ROUTE, body(3 * KIB64)).frame();
    byte[] buf = FrameFixtures.flip(frame, frame.length - 1, 0x80);  // chunks 0 and 1 verify, chunk 2 fails

    assertThrows(CryptoException.class, () -> server().openRequestInPlace(buf, 0, buf.length, METHOD, ROUTE));

    byte[] bodyRegion = Arrays.copyOfRange(buf, 29, buf.length);
    assertArrayEquals(new byte[bodyRegion.length], bodyRegion);
  }

  @Test
  void aReplayedFrameOpenedInPlaceIsRejected() throws Exception {
    ServerChannel server = server();
    byte[] frame = client().sealRequest(METHOD, ROUTE, body(10)).frame();
    byte[] first = frame.clone();
    server.openRequestInPlace(first, 0, first.length, METHOD, ROUTE);

    byte[] again = frame.clone();
    CryptoException e = assertThrows(CryptoException.class,
        () -> server.openRequestInPlace(again, 0, again.length, METHOD, ROUTE));
    assertEquals(Reason.REPLAY, e.reason());
  }

  @Test
  void aResponseOpenedInPlaceForAnotherRequestIsRejected() throws Exception {
    byte[] frame = sealResponse(server(), 5, 200, METHOD, ROUTE, body(10));
    CryptoException e = assertThrows(CryptoException.class,
        () -> client().openResponseInPlace(frame, 0, frame.length, 6, 200, METHOD, ROUTE));
    assertEquals(Reason.AUTHENTICATION, e.reason());
  }

  @Test
  void aFrameAtAnOffsetOpensInPlaceAndTheBytesAroundItStayUntouched() throws Exception {
    byte[] frame = client().sealRequest(METHOD, ROUTE, body(KIB64 + 7)).frame();
    byte[] buf = new byte[frame.length + 20];
    Arrays.fill(buf, (byte) 0x5a);
    System.arraycopy(frame, 0, buf, 13, frame.length);

    Plaintext p = server().openRequestInPlace(buf, 13, frame.length, METHOD, ROUTE);

    assertEquals(13 + 29, p.offset());
    assertArrayEquals(body(KIB64 + 7), p.toByteArray());
    assertArrayEquals(filled(13), Arrays.copyOfRange(buf, 0, 13));
    assertArrayEquals(filled(7), Arrays.copyOfRange(buf, 13 + frame.length, buf.length));
  }

  @Test
  void anOpenSliceOutsideTheArrayIsRefused() {
    byte[] buf = new byte[60];
    assertThrows(IndexOutOfBoundsException.class, () -> server().openRequestInPlace(buf, 10, 60, METHOD, ROUTE));
    assertThrows(IndexOutOfBoundsException.class,
        () -> client().openResponseInPlace(buf, 10, 60, 0, 200, METHOD, ROUTE));
  }

  private static byte[] filled(int n) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) 0x5a);
    return b;
  }
}
