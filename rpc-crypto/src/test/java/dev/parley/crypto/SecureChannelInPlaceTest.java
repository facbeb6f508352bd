package dev.parley.crypto;

import static dev.parley.crypto.FrameFixtures.KIB64;
import static dev.parley.crypto.FrameFixtures.METHOD;
import static dev.parley.crypto.FrameFixtures.MIB;
import static dev.parley.crypto.FrameFixtures.ROUTE;
import static dev.parley.crypto.FrameFixtures.body;
import static dev.parley.crypto.FrameFixtures.fixedKeys;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.crypto.CryptoException.Reason;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The allocation-free forms of {@link SecureChannel}: sealing into a caller's buffer and opening a
 * frame in place produce and accept exactly the frames of the array forms, with the same checks
 * (PROTOCOL.md §10.5, §11).
 */
class SecureChannelInPlaceTest {

  /** Two channels of one side over the same fixed keys start at counter 0 and seal identical frames. */
  private static SecureChannel client() {
    return SecureChannel.client(fixedKeys());
  }

  private static SecureChannel server() {
    return SecureChannel.server(fixedKeys());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, KIB64, KIB64 + 1, MIB})
  void aRequestOpenedInPlaceEqualsTheArrayOpen(int size) throws Exception {
    byte[] frame = client().sealRequest(METHOD, ROUTE, body(size)).frame();
    SecureChannel.Opened viaArray = server().openRequest(frame.clone(), METHOD, ROUTE);

    byte[] buf = frame.clone();
    SecureChannel.Plaintext p = server().openRequestInPlace(buf, 0, buf.length, METHOD, ROUTE);

    assertSame(buf, p.array());
    assertEquals(29, p.offset());
    assertEquals(viaArray.counter(), p.counter());
    assertArrayEquals(viaArray.body(), p.toByteArray());
    assertArrayEquals(body(size), p.toByteArray());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, KIB64, KIB64 + 1, MIB})
  void aResponseOpenedInPlaceEqualsTheArrayOpen(int size) throws Exception {
    byte[] frame = server().sealResponse(5, 200, METHOD, ROUTE, body(size));
    byte[] viaArray = client().openResponse(frame.clone(), 5, 200, METHOD, ROUTE);

    byte[] buf = frame.clone();
    SecureChannel.Plaintext p = client().openResponseInPlace(buf, 0, buf.length, 5, 200, METHOD, ROUTE);

    assertEquals(37, p.offset());
    assertArrayEquals(viaArray, p.toByteArray());
    assertArrayEquals(body(size), p.toByteArray());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, KIB64, KIB64 + 1, MIB})
  void aRequestSealedIntoABufferIsByteForByteTheArrayFrameForTheSameCounter(int size) throws Exception {
    byte[] body = body(size);
    SecureChannel.Sealed viaArray = client().sealRequest(METHOD, ROUTE, body);
    SecureChannel into = client();
    byte[] buf = new byte[into.sealedLength(size)];

    SecureChannel.SealedSlice s = into.sealRequestInto(METHOD, ROUTE, body, 0, size, buf, 0);

    assertEquals(viaArray.counter(), s.counter());
    assertEquals(buf.length, s.length());
    assertArrayEquals(viaArray.frame(), buf);
    assertArrayEquals(viaArray.tag(), s.tag());
    assertArrayEquals(body, server().openRequest(buf, METHOD, ROUTE).body());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, KIB64, KIB64 + 1, MIB})
  void aResponseSealedIntoABufferIsByteForByteTheArrayFrameForTheSameCounter(int size) throws Exception {
    byte[] body = body(size);
    byte[] viaArray = server().sealResponse(9, 201, METHOD, ROUTE, body);
    SecureChannel into = server();
    byte[] buf = new byte[into.sealedLength(size)];

    SecureChannel.SealedSlice s = into.sealResponseInto(9, 201, METHOD, ROUTE, body, 0, size, buf, 0);

    assertEquals(buf.length, s.length());
    assertArrayEquals(viaArray, buf);
    assertArrayEquals(body, client().openResponse(buf, 9, 201, METHOD, ROUTE));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, KIB64 - 1, KIB64, KIB64 + 1, 3 * KIB64 + 5, MIB})
  void aResponseSealedInPlaceIsByteForByteTheArrayFrameForTheSameCounter(int size) throws Exception {
    byte[] body = body(size);
    byte[] viaArray = server().sealResponse(9, 201, METHOD, ROUTE, body);
    SecureChannel inPlace = server();
    byte[] buf = Arrays.copyOf(body, inPlace.sealedLength(size) + 7);   // room to spare, as a growable buffer has

    SecureChannel.SealedSlice s = inPlace.sealResponseInPlace(9, 201, METHOD, ROUTE, buf, size);

    assertSame(buf, s.array());
    assertEquals(0, s.offset());
    assertEquals(viaArray.length, s.length());
    assertArrayEquals(viaArray, Arrays.copyOf(buf, s.length()));
    assertArrayEquals(Arrays.copyOfRange(viaArray, viaArray.length - 16, viaArray.length), s.tag());
    assertArrayEquals(body, client().openResponse(Arrays.copyOf(buf, s.length()), 9, 201, METHOD, ROUTE));
  }

  @Test
  void anArrayTooShortForTheFrameIsRefusedBeforeACounterIsTaken() throws Exception {
    SecureChannel server = server();
    byte[] body = body(KIB64 + 1);
    byte[] tooShort = Arrays.copyOf(body, server.sealedLength(body.length) - 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> server.sealResponseInPlace(9, 200, METHOD, ROUTE, tooShort, body.length));
    assertTrue(e.getMessage().contains("sealedLength"), e.getMessage());
    // The refused call took no counter: the next frame is the one a fresh channel seals first.
    byte[] buf = Arrays.copyOf(body, server.sealedLength(body.length));
    server.sealResponseInPlace(9, 200, METHOD, ROUTE, buf, body.length);
    assertArrayEquals(server().sealResponse(9, 200, METHOD, ROUTE, body), buf);
  }

  @Test
  void sealedLengthIsTheHeaderTheBodyAndOneTagPerChunk() {
    assertEquals(29 + 16, client().sealedLength(0));
    assertEquals(37 + 16, server().sealedLength(0));
    assertEquals(29 + KIB64 + 16, client().sealedLength(KIB64));
    assertEquals(29 + KIB64 + 1 + 32, client().sealedLength(KIB64 + 1));
    assertEquals(37 + MIB + 16 * 16, server().sealedLength(MIB));
    assertThrows(IllegalArgumentException.class, () -> client().sealedLength(-1));
  }

  @Test
  void aTamperedFrameOpenedInPlaceIsRejectedAndDoesNotBurnTheHonestFramesCounter() throws Exception {
    SecureChannel server = server();
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
    SecureChannel server = server();
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
    byte[] frame = server().sealResponse(5, 200, METHOD, ROUTE, body(10));
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

    SecureChannel.Plaintext p = server().openRequestInPlace(buf, 13, frame.length, METHOD, ROUTE);

    assertEquals(13 + 29, p.offset());
    assertArrayEquals(body(KIB64 + 7), p.toByteArray());
    assertArrayEquals(filled(13), Arrays.copyOfRange(buf, 0, 13));
    assertArrayEquals(filled(7), Arrays.copyOfRange(buf, 13 + frame.length, buf.length));
  }

  @Test
  void aBodySliceSealsIntoABufferAtAnOffsetAndTheBytesAroundItStayUntouched() throws Exception {
    byte[] body = body(KIB64 + 7);
    byte[] source = new byte[body.length + 10];
    System.arraycopy(body, 0, source, 3, body.length);
    SecureChannel into = client();
    int frameLength = into.sealedLength(body.length);
    byte[] buf = new byte[frameLength + 20];
    Arrays.fill(buf, (byte) 0x5a);

    SecureChannel.SealedSlice s = into.sealRequestInto(METHOD, ROUTE, source, 3, body.length, buf, 11);

    assertEquals(11, s.offset());
    assertEquals(frameLength, s.length());
    assertArrayEquals(client().sealRequest(METHOD, ROUTE, body).frame(), Arrays.copyOfRange(buf, 11, 11 + frameLength));
    assertArrayEquals(filled(11), Arrays.copyOfRange(buf, 0, 11));
    assertArrayEquals(filled(9), Arrays.copyOfRange(buf, 11 + frameLength, buf.length));
  }

  @Test
  void aTooSmallOutputBufferIsRefusedWithAClearErrorBeforeACounterIsTaken() throws Exception {
    SecureChannel ch = client();
    byte[] body = body(100);
    byte[] small = new byte[ch.sealedLength(100) + 4];

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ch.sealRequestInto(METHOD, ROUTE, body, 0, 100, small, 5));
    assertTrue(e.getMessage().contains("sealedLength(100)"), e.getMessage());
    assertEquals(0, ch.sealRequest(METHOD, ROUTE, body).counter());
  }

  @Test
  void aBodyOverlappingTheOutputIsRefused() {
    SecureChannel ch = client();
    byte[] buf = new byte[ch.sealedLength(100) + 100];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ch.sealRequestInto(METHOD, ROUTE, buf, 29, 100, buf, 0));
    assertTrue(e.getMessage().contains("overlap"), e.getMessage());
  }

  @Test
  void anOpenSliceOutsideTheArrayIsRefused() {
    byte[] buf = new byte[60];
    assertThrows(IndexOutOfBoundsException.class, () -> server().openRequestInPlace(buf, 10, 60, METHOD, ROUTE));
  }

  private static byte[] filled(int n) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) 0x5a);
    return b;
  }
}
