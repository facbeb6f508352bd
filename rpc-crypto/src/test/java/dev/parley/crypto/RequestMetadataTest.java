package dev.parley.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.crypto.HttpBinding.PlaintextException.Problem;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The metadata block of a sealed request plaintext (PROTOCOL.md §15.4, flag bit 1): its codec and its refusals. */
class RequestMetadataTest {
  private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  private static final String TRACESTATE = "congo=t61rcWkgMzE";
  private static final byte[] JSON = "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":[1,2],\"id\":1}"
      .getBytes(StandardCharsets.US_ASCII);

  /** flag ‖ JSON, as a sender holds it before the metadata is added. */
  private static byte[] plain(byte flag, byte[] payload) {
    byte[] p = new byte[payload.length + 1];
    p[0] = flag;
    System.arraycopy(payload, 0, p, 1, payload.length);
    return p;
  }

  /** A request plaintext with flag bit 1 and {@code block} as its metadata block, built by hand. */
  private static byte[] withBlock(byte[] block, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(HttpBinding.FLAG_METADATA);
    out.write(block.length >>> 8);
    out.write(block.length);
    out.writeBytes(block);
    out.writeBytes(payload);
    return out.toByteArray();
  }

  private static HttpBinding.OpenedRequest open(byte[] plaintext) throws HttpBinding.PlaintextException {
    return HttpBinding.openRequest(plaintext, 0, plaintext.length, 1 << 20);
  }

  private static Problem problemOf(byte[] plaintext) {
    return assertThrows(HttpBinding.PlaintextException.class, () -> open(plaintext)).problem();
  }

  @Test
  void aTimeoutAndATraceContextRoundTripBesideTheJson() throws Exception {
    RequestMetadata meta = new RequestMetadata(1500, TRACEPARENT, TRACESTATE);
    byte[] plaintext = HttpBinding.withMetadata(plain(HttpBinding.FLAG_JSON, JSON), meta);
    assertEquals(HttpBinding.FLAG_METADATA, plaintext[0]);
    HttpBinding.OpenedRequest opened = open(plaintext);
    assertEquals(meta, opened.metadata());
    assertArrayEquals(JSON, opened.json().toByteArray());
  }

  @Test
  void eachEntryAloneRoundTrips() throws Exception {
    for (RequestMetadata meta : new RequestMetadata[] {new RequestMetadata(0, null, null),
        new RequestMetadata(RequestMetadata.MAX_TIMEOUT_MILLIS, null, null), new RequestMetadata(-1, TRACEPARENT, null),
        new RequestMetadata(-1, null, TRACESTATE)}) {
      assertEquals(meta, open(HttpBinding.withMetadata(plain(HttpBinding.FLAG_JSON, JSON), meta)).metadata(), meta.toString());
    }
  }

  @Test
  void theTimeoutIsAU32BigEndianAndKeysAreWrittenInAscendingOrder() {
    byte[] block = new RequestMetadata(0x01020304L, "tp", "ts").encode();
    assertEquals("01040102030402027470030274" + "73", HexFormat.of().formatHex(block));
  }

  @Test
  void noMetadataLeavesThePlaintextAsItIs() throws Exception {
    byte[] plaintext = plain(HttpBinding.FLAG_JSON, JSON);
    assertSame(plaintext, HttpBinding.withMetadata(plaintext, RequestMetadata.NONE));
    HttpBinding.OpenedRequest opened = open(plaintext);
    assertSame(RequestMetadata.NONE, opened.metadata());
    assertArrayEquals(JSON, opened.json().toByteArray());
  }

  @Test
  void aPingIsAnEmptyPlaintextWithoutMetadata() throws Exception {
    HttpBinding.OpenedRequest opened = HttpBinding.openRequest(new byte[4], 2, 0, 10);
    assertEquals(0, opened.json().length());
    assertSame(RequestMetadata.NONE, opened.metadata());
    assertThrows(IllegalArgumentException.class, () -> HttpBinding.withMetadata(new byte[0], new RequestMetadata(5, null, null)));
  }

  @Test
  void theMetadataIsNeverCompressedAndTheDeflatedPayloadFollowsIt() throws Exception {
    byte[] json = ("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"" + "x".repeat(2000) + "\"],\"id\":1}")
        .getBytes(StandardCharsets.US_ASCII);
    byte[] buffer = new byte[json.length + 1];
    System.arraycopy(json, 0, buffer, 1, json.length);
    byte[] deflated = HttpBinding.sealedPlaintext(buffer, buffer.length, 6).toByteArray();
    RequestMetadata meta = new RequestMetadata(250, TRACEPARENT, null);
    byte[] plaintext = HttpBinding.withMetadata(deflated, meta);
    assertEquals(HttpBinding.FLAG_DEFLATE | HttpBinding.FLAG_METADATA, plaintext[0]);
    byte[] block = meta.encode();
    assertArrayEquals(block, Arrays.copyOfRange(plaintext, 3, 3 + block.length), "the block in clear (inside the AEAD)");
    HttpBinding.OpenedRequest opened = open(plaintext);
    assertEquals(meta, opened.metadata());
    assertArrayEquals(json, opened.json().toByteArray());
  }

  @Test
  void unknownKeysAreSkipped() throws Exception {
    byte[] block = {0x7f, 3, 'a', 'b', 'c', 0x01, 4, 0, 0, 0x03, (byte) 0xe8, (byte) 0xff, 0};
    HttpBinding.OpenedRequest opened = open(withBlock(block, JSON));
    assertEquals(1000, opened.metadata().timeoutMillis());
    assertArrayEquals(JSON, opened.json().toByteArray());
  }

  @Test
  void aKeyThatAppearsTwiceIsRefused() {
    assertEquals(Problem.MALFORMED, problemOf(withBlock(new byte[] {1, 4, 0, 0, 0, 1, 1, 4, 0, 0, 0, 2}, JSON)));
    assertEquals(Problem.MALFORMED, problemOf(withBlock(new byte[] {9, 0, 9, 1, 'x'}, JSON)), "unknown keys too");
  }

  @Test
  void malformedBlocksAreRefused() {
    assertEquals(Problem.MALFORMED, problemOf(withBlock(new byte[0], JSON)), "an empty block");
    assertEquals(Problem.MALFORMED, problemOf(withBlock(new byte[] {1}, JSON)), "an entry cut after its key");
    assertEquals(Problem.MALFORMED, problemOf(withBlock(new byte[] {2, 9, 'a'}, JSON)), "an entry longer than the block");
    assertEquals(Problem.MALFORMED, problemOf(withBlock(new byte[] {1, 2, 0, 5}, JSON)), "a timeout of 2 bytes");
    assertEquals(Problem.MALFORMED, problemOf(withBlock(new byte[] {1, 8, 0, 0, 0, 0, 0, 0, 0, 5}, JSON)), "of 8 bytes");
    assertEquals(Problem.MALFORMED, problemOf(withBlock(new byte[] {2, 0}, JSON)), "an empty traceparent");
    assertEquals(Problem.MALFORMED, problemOf(withBlock(new byte[] {2, 2, 'a', '\n'}, JSON)), "a control character");
    assertEquals(Problem.MALFORMED, problemOf(withBlock(new byte[] {3, 2, 'a', (byte) 0xc3}, JSON)), "not ASCII");
  }

  @Test
  void aBlockLengthBeyondThePlaintextIsRefused() {
    assertEquals(Problem.MALFORMED, problemOf(new byte[] {HttpBinding.FLAG_METADATA}), "no length");
    assertEquals(Problem.MALFORMED, problemOf(new byte[] {HttpBinding.FLAG_METADATA, 0}), "half a length");
    assertEquals(Problem.MALFORMED, problemOf(new byte[] {HttpBinding.FLAG_METADATA, 0, 7, 1, 4, 0, 0}));
  }

  /** A block of exactly {@code length} bytes of entries with unknown keys, each key once. */
  private static byte[] unknownEntries(int length) {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    int key = 0x10;
    while (length - block.size() > 0) {
      int size = Math.min(255, length - block.size() - 2);
      block.write(key++);
      block.write(size);
      block.writeBytes(new byte[size]);
    }
    return block.toByteArray();
  }

  @Test
  void aBlockLongerThanTheBoundIsRefused() throws Exception {
    byte[] longest = unknownEntries(RequestMetadata.MAX_BLOCK_LENGTH);
    assertEquals(RequestMetadata.MAX_BLOCK_LENGTH, longest.length);
    assertEquals(RequestMetadata.NONE, open(withBlock(longest, JSON)).metadata(), "at the bound: read, keys skipped");
    assertEquals(Problem.MALFORMED, problemOf(withBlock(unknownEntries(RequestMetadata.MAX_BLOCK_LENGTH + 1), JSON)));
  }

  @ParameterizedTest
  @ValueSource(ints = {0x04, 0x08, 0x80, 0x07, 0xff})
  void anyOtherFlagBitIsRefused(int flags) {
    assertEquals(Problem.MALFORMED, problemOf(plain((byte) flags, JSON)));
  }

  @ParameterizedTest
  @ValueSource(ints = {0x02, 0x03})
  void bitOneInAResponseIsRefused(int flags) {
    byte[] answer = withBlock(new RequestMetadata(5, null, null).encode(), JSON);
    answer[0] = (byte) flags;
    assertEquals(Problem.MALFORMED, assertThrows(HttpBinding.PlaintextException.class,
        () -> HttpBinding.openPlaintext(answer, 0, answer.length, 1 << 20)).problem());
  }

  @Test
  void theJsonAfterTheBlockIsStillBoundedByTheMaximum() {
    byte[] plaintext = HttpBinding.withMetadata(plain(HttpBinding.FLAG_JSON, JSON), new RequestMetadata(5, null, null));
    assertEquals(Problem.TOO_LARGE, assertThrows(HttpBinding.PlaintextException.class,
        () -> HttpBinding.openRequest(plaintext, 0, plaintext.length, JSON.length - 1)).problem());
  }

  @Test
  void valuesASenderCannotEncodeAreRefusedAtOnceWithoutShowingThem() {
    assertThrows(IllegalArgumentException.class, () -> new RequestMetadata(-2, null, null));
    assertThrows(IllegalArgumentException.class, () -> new RequestMetadata(RequestMetadata.MAX_TIMEOUT_MILLIS + 1, null, null));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new RequestMetadata(-1, "secret\u0001", null));
    assertFalse(e.getMessage().contains("secret"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new RequestMetadata(-1, null, "x".repeat(256)));
    assertThrows(IllegalArgumentException.class, () -> new RequestMetadata(-1, "", null));
    assertTrue(RequestMetadata.isValidValue("x".repeat(255)));
  }

  @Test
  void aPlaintextThatAlreadyHasABlockGetsNoSecond() {
    byte[] once = HttpBinding.withMetadata(plain(HttpBinding.FLAG_JSON, JSON), new RequestMetadata(5, null, null));
    assertThrows(IllegalArgumentException.class, () -> HttpBinding.withMetadata(once, new RequestMetadata(6, null, null)));
  }
}
