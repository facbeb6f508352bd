package dev.parley.crypto;

import static dev.parley.crypto.FrameFixtures.KIB64;
import static dev.parley.crypto.FrameFixtures.METHOD;
import static dev.parley.crypto.FrameFixtures.MIB;
import static dev.parley.crypto.FrameFixtures.ROUTE;
import static dev.parley.crypto.FrameFixtures.body;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.crypto.HttpBinding.PlaintextException.Problem;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The HTTP binding's names, sizes, frame peeking and the sealed plaintext's flag byte (PROTOCOL.md §15). */
class HttpBindingTest {

  /** JSON-RPC text of exactly {@code length} bytes: an echo call padded with 'p'. */
  private static byte[] json(int length) {
    String head = "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"";
    String tail = "\"],\"id\":1}";
    return (head + "p".repeat(length - head.length() - tail.length()) + tail).getBytes(StandardCharsets.UTF_8);
  }

  /** {@code json} behind one free byte, as a sender holds it before the flag is written. */
  private static byte[] withRoomForTheFlag(byte[] json) {
    byte[] buffer = new byte[json.length + 1];
    System.arraycopy(json, 0, buffer, 1, json.length);
    buffer[0] = 0x55;   // whatever was there; sealing writes the flag
    return buffer;
  }

  /** Raw DEFLATE (no zlib wrapper) made by the JDK directly, independent of HttpBinding. */
  private static byte[] rawDeflate(byte[] data, int level) {
    Deflater deflater = new Deflater(level, true);
    deflater.setInput(data);
    deflater.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[4096];
    while (!deflater.finished()) {
      out.write(chunk, 0, deflater.deflate(chunk));
    }
    deflater.end();
    return out.toByteArray();
  }

  private static byte[] rawInflate(byte[] data, int offset, int length) throws Exception {
    Inflater inflater = new Inflater(true);
    try (InputStream in = new InflaterInputStream(new ByteArrayInputStream(data, offset, length), inflater)) {
      return in.readAllBytes();
    } finally {
      inflater.end();
    }
  }

  private static byte[] flagged(byte flag, byte[] payload) {
    byte[] p = new byte[payload.length + 1];
    p[0] = flag;
    System.arraycopy(payload, 0, p, 1, payload.length);
    return p;
  }

  private static Problem problemOf(byte[] plaintext, long max) {
    return assertThrows(HttpBinding.PlaintextException.class,
        () -> HttpBinding.openPlaintext(plaintext, 0, plaintext.length, max)).problem();
  }

  // ------------------------------------------------------------------------------ names and sizes

  @Test
  void theContentTypesAndHeadersAreThoseOfSection15() {
    assertEquals("application/vnd.parley.handshake", HttpBinding.HANDSHAKE_TYPE);
    assertEquals("application/vnd.parley.sealed", HttpBinding.SEALED_TYPE);
    assertEquals("application/vnd.parley.reject", HttpBinding.REJECT_TYPE);
    assertEquals("Parley-Session", HttpBinding.SESSION_HEADER);
    assertEquals("Parley-Draining", HttpBinding.DRAINING_HEADER);
  }

  @Test
  void theLongestHandshakeMessageIsMsg3WithTheLongestTokenAndContribution() {
    assertEquals(1109, HttpBinding.MAX_HANDSHAKE_LENGTH);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, KIB64 - 1, KIB64, KIB64 + 1, 3 * KIB64, MIB + 1})
  void theLargestRequestFrameIsTheLengthOfARequestSealedAroundTheLargestPlaintext(int size) throws Exception {
    ClientChannel.Sealed sealed = FrameFixtures.pair().client().sealRequest(METHOD, ROUTE, body(size));
    assertEquals(sealed.frame().length, HttpBinding.maxRequestFrame(size));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, KIB64 - 1, KIB64, KIB64 + 1, 3 * KIB64, MIB + 1})
  void theLargestResponseFrameIsTheLengthOfAResponseSealedAroundTheLargestPlaintext(int size) throws Exception {
    byte[] frame = FrameFixtures.sealResponse(FrameFixtures.pair().server(), 0, 200, METHOD, ROUTE, body(size));
    assertEquals(frame.length, HttpBinding.maxResponseFrame(size));
  }

  @Test
  void theFrameBoundsAreTheHeaderThePlaintextAndOneTagPerChunk() {
    assertEquals(29 + 16, HttpBinding.maxRequestFrame(0));
    assertEquals(29 + KIB64 + 16, HttpBinding.maxRequestFrame(KIB64));
    assertEquals(29 + KIB64 + 1 + 32, HttpBinding.maxRequestFrame(KIB64 + 1));
    assertEquals(37 + 16, HttpBinding.maxResponseFrame(0));
    assertEquals(37 + 10_000_001L + 16 * 153, HttpBinding.maxResponseFrame(10_000_001L));
    assertEquals(Long.MAX_VALUE, HttpBinding.maxRequestFrame(Long.MAX_VALUE - 10));
    assertThrows(IllegalArgumentException.class, () -> HttpBinding.maxRequestFrame(-1));
  }

  // ------------------------------------------------------------------------------ peeking

  @Test
  void peekingReadsTheClearHeaderAndTheTagOfARequestFrame() throws Exception {
    ClientChannel client = FrameFixtures.client(FrameFixtures.fixedKeys());
    client.sealRequest(METHOD, ROUTE, body(1));
    ClientChannel.Sealed req = client.sealRequest(METHOD, ROUTE, body(3));   // ctr 1
    HttpBinding.RequestFrame header = HttpBinding.peekRequest(req.frame(), req.frame().length);
    assertArrayEquals(client.sessionId(), header.sessionId());
    assertEquals(1L, header.counter());
    assertEquals(0, header.epoch());
    assertArrayEquals(req.tag(), header.tag());
    assertEquals(FrameFixtures.fixedKeys().sessionIdText(), header.sessionIdText());
  }

  @Test
  void peekingReadsOnlyTheFirstLengthBytes() throws Exception {
    ClientChannel.Sealed req = FrameFixtures.client(FrameFixtures.fixedKeys()).sealRequest(METHOD, ROUTE, body(3));
    byte[] longer = Arrays.copyOf(req.frame(), req.frame().length + 100);
    assertArrayEquals(req.tag(), HttpBinding.peekRequest(longer, req.frame().length).tag());
  }

  @Test
  void peekingFindsNoRequestInSomethingShorterThanAHeaderAndATagOrOfAnotherType() throws Exception {
    ClientChannel.Sealed req = FrameFixtures.client(FrameFixtures.fixedKeys()).sealRequest(METHOD, ROUTE, body(0));
    assertEquals(45, req.frame().length);
    assertEquals(0L, HttpBinding.peekRequest(req.frame(), 45).counter());
    assertNull(HttpBinding.peekRequest(req.frame(), 44), "shorter than a header and a tag");
    assertNull(HttpBinding.peekRequest(new byte[0], 0));
    byte[] response = req.frame().clone();
    response[0] = 0x06;
    assertNull(HttpBinding.peekRequest(response, response.length), "not a request frame");
    assertThrows(IndexOutOfBoundsException.class, () -> HttpBinding.peekRequest(new byte[10], 11));
  }

  // ------------------------------------------------------------------------------ §15.4 encode

  @Test
  void jsonShorterThan256BytesIsSealedUncompressedInItsOwnBuffer() {
    byte[] json = json(255);
    byte[] buffer = withRoomForTheFlag(json);
    HttpBinding.Bytes plaintext = HttpBinding.sealedPlaintext(buffer, buffer.length, 9);
    assertSame(buffer, plaintext.array());
    assertEquals(0, plaintext.offset());
    assertEquals(256, plaintext.length());
    assertArrayEquals(flagged(HttpBinding.FLAG_JSON, json), plaintext.toByteArray());
  }

  @Test
  void jsonOf256BytesIsDeflatedBehindFlagOne() throws Exception {
    byte[] json = json(256);
    byte[] buffer = withRoomForTheFlag(json);
    HttpBinding.Bytes plaintext = HttpBinding.sealedPlaintext(buffer, buffer.length, 1);
    assertNotSame(buffer, plaintext.array());
    assertEquals(plaintext.array().length, plaintext.length(), "a new array of exactly the plaintext");
    assertEquals(HttpBinding.FLAG_DEFLATE, plaintext.array()[0]);
    assertTrue(plaintext.length() < json.length);
    assertArrayEquals(json, rawInflate(plaintext.array(), 1, plaintext.length() - 1));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 6, 9})
  void theJsonIsDeflatedAtTheGivenLevelWithoutAWrapper(int level) {
    byte[] json = json(5000);
    byte[] buffer = withRoomForTheFlag(json);
    HttpBinding.Bytes plaintext = HttpBinding.sealedPlaintext(buffer, buffer.length, level);
    assertArrayEquals(flagged(HttpBinding.FLAG_DEFLATE, rawDeflate(json, level)), plaintext.toByteArray());
  }

  @Test
  void levelZeroNeverCompresses() {
    byte[] buffer = withRoomForTheFlag(json(5000));
    HttpBinding.Bytes plaintext = HttpBinding.sealedPlaintext(buffer, buffer.length, 0);
    assertSame(buffer, plaintext.array());
    assertEquals(HttpBinding.FLAG_JSON, buffer[0]);
  }

  @Test
  void onlyTheGivenLengthOfTheBufferIsSealed() throws Exception {
    byte[] json = json(300);
    byte[] buffer = Arrays.copyOf(withRoomForTheFlag(json), json.length + 1 + 50);   // spare room after the JSON
    HttpBinding.Bytes plaintext = HttpBinding.sealedPlaintext(buffer, json.length + 1, 6);
    assertArrayEquals(json, rawInflate(plaintext.array(), 1, plaintext.length() - 1));
  }

  @Test
  void aLevelOutsideZeroToNineOrALengthWithoutTheFlagByteIsRefused() {
    byte[] buffer = withRoomForTheFlag(json(300));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> HttpBinding.sealedPlaintext(buffer, buffer.length, 10))
        .getMessage().contains("0..9"));
    assertThrows(IllegalArgumentException.class, () -> HttpBinding.sealedPlaintext(buffer, buffer.length, -1));
    assertThrows(IllegalArgumentException.class, () -> HttpBinding.sealedPlaintext(buffer, 0, 6));
    assertThrows(IndexOutOfBoundsException.class, () -> HttpBinding.sealedPlaintext(buffer, buffer.length + 1, 6));
  }

  // ------------------------------------------------------------------------------ §15.4 decode

  @Test
  void aFlagZeroPlaintextOpensToAViewOfItsJson() throws Exception {
    byte[] json = json(100);
    byte[] array = new byte[json.length + 11];
    System.arraycopy(flagged(HttpBinding.FLAG_JSON, json), 0, array, 5, json.length + 1);
    HttpBinding.Bytes opened = HttpBinding.openPlaintext(array, 5, json.length + 1, 1000);
    assertSame(array, opened.array());
    assertEquals(6, opened.offset());
    assertArrayEquals(json, opened.toByteArray());
  }

  @Test
  void aFlagOnePlaintextOpensToItsInflatedJson() throws Exception {
    byte[] json = json(3000);
    byte[] plaintext = flagged(HttpBinding.FLAG_DEFLATE, rawDeflate(json, 6));
    assertArrayEquals(json, HttpBinding.openPlaintext(plaintext, 0, plaintext.length, 3000).toByteArray());
  }

  @Test
  void aDeflatedPlaintextOfShortJsonStillOpens() throws Exception {
    byte[] json = json(60);   // a sender never deflates JSON this short, but a receiver accepts it
    byte[] plaintext = flagged(HttpBinding.FLAG_DEFLATE, rawDeflate(json, 9));
    assertArrayEquals(json, HttpBinding.openPlaintext(plaintext, 0, plaintext.length, 1000).toByteArray());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 6, 9})
  void whatIsSealedOpensToTheSameJson(int level) throws Exception {
    for (int length : new int[] {2, 255, 256, 70_000}) {
      byte[] json = json(Math.max(length, 60));
      byte[] buffer = withRoomForTheFlag(json);
      HttpBinding.Bytes p = HttpBinding.sealedPlaintext(buffer, buffer.length, level);
      assertArrayEquals(json, HttpBinding.openPlaintext(p.array(), p.offset(), p.length(), json.length).toByteArray());
    }
  }

  @Test
  void anEmptyPlaintextOpensToNoBytes() throws Exception {
    byte[] array = new byte[8];
    assertEquals(0, HttpBinding.openPlaintext(array, 3, 0, 0).length());
  }

  @ParameterizedTest
  @ValueSource(ints = {0x02, 0x07, 0x7f, 0x80, 0xff})
  void anUnknownFlagIsMalformed(int flag) {
    assertEquals(Problem.MALFORMED, problemOf(flagged((byte) flag, json(100)), 1000));
  }

  @Test
  void corruptDeflateDataIsMalformed() {
    // 0xff starts a block of the reserved type 3, which no inflater accepts.
    assertEquals(Problem.MALFORMED, problemOf(flagged(HttpBinding.FLAG_DEFLATE, new byte[] {(byte) 0xff, 1, 2, 3}), 1000));
  }

  @Test
  void truncatedDeflateDataIsMalformed() {
    byte[] deflated = rawDeflate(json(3000), 6);
    for (int cut : new int[] {0, 1, deflated.length / 2, deflated.length - 1}) {
      assertEquals(Problem.MALFORMED, problemOf(flagged(HttpBinding.FLAG_DEFLATE, Arrays.copyOf(deflated, cut)), 10_000),
          "cut to " + cut + " bytes");
    }
  }

  @Test
  void bytesAfterTheDeflateDataAreMalformed() {
    byte[] deflated = rawDeflate(json(3000), 6);
    assertEquals(Problem.MALFORMED,
        problemOf(flagged(HttpBinding.FLAG_DEFLATE, Arrays.copyOf(deflated, deflated.length + 1)), 10_000));
  }

  @Test
  void jsonLongerThanTheMaximumIsTooLarge() throws Exception {
    byte[] plaintext = flagged(HttpBinding.FLAG_JSON, json(1001));
    assertEquals(Problem.TOO_LARGE, problemOf(plaintext, 1000));
    assertEquals(1001, HttpBinding.openPlaintext(plaintext, 0, plaintext.length, 1001).length());
  }

  @Test
  void deflatedJsonLongerThanTheMaximumOnceInflatedIsTooLarge() throws Exception {
    byte[] zeros = new byte[MIB];   // a small bomb: a megabyte of zeros deflates to about a kilobyte
    byte[] plaintext = flagged(HttpBinding.FLAG_DEFLATE, rawDeflate(zeros, 9));
    assertTrue(plaintext.length < 2000);
    assertEquals(Problem.TOO_LARGE, problemOf(plaintext, MIB - 1));
    assertEquals(MIB, HttpBinding.openPlaintext(plaintext, 0, plaintext.length, MIB).length());
  }

  @Test
  void theExceptionNamesTheProblemButNoPlaintext() {
    byte[] secret = "{\"jsonrpc\":\"2.0\",\"method\":\"login\",\"params\":[\"hunter2\"]}".getBytes(StandardCharsets.UTF_8);
    HttpBinding.PlaintextException e = assertThrows(HttpBinding.PlaintextException.class,
        () -> HttpBinding.openPlaintext(flagged((byte) 9, secret), 0, secret.length + 1, 1000));
    assertEquals("unknown flags 9", e.getMessage());
    HttpBinding.PlaintextException large = assertThrows(HttpBinding.PlaintextException.class,
        () -> HttpBinding.openPlaintext(flagged(HttpBinding.FLAG_JSON, secret), 0, secret.length + 1, 10));
    assertEquals("larger than 10 bytes", large.getMessage());
  }
}
