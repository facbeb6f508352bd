package dev.parley.client.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.Compression;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import okhttp3.MediaType;
import okio.Buffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** The content-type check of sealed answers, the sealed plaintext and the sealed request body. */
class BodiesTest {
  private static final String SEALED = "application/vnd.parley.sealed";

  @Test
  void theMediaTypeMatchesWhateverTheCaseParametersAndSpaces() {
    assertTrue(Bodies.hasMediaType(SEALED, SEALED));
    assertTrue(Bodies.hasMediaType("Application/VND.Parley.Sealed", SEALED));
    assertTrue(Bodies.hasMediaType(" application/vnd.parley.sealed ; charset=binary", SEALED));
  }

  @Test
  void anotherOrAMissingMediaTypeDoesNotMatch() {
    assertFalse(Bodies.hasMediaType(null, SEALED));
    assertFalse(Bodies.hasMediaType("", SEALED));
    assertFalse(Bodies.hasMediaType("application/json", SEALED));
    assertFalse(Bodies.hasMediaType("application/vnd.parley.sealedx", SEALED));
    assertFalse(Bodies.hasMediaType("application/vnd.parley.handshake; x=application/vnd.parley.sealed", SEALED));
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void sealingEmptiesTheJsonBufferAndAFallbackRefillsItExactly(Compression compression) {
    String text = "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"" + "ab".repeat(400) + "\"],\"id\":7}";
    byte[] json = text.getBytes(StandardCharsets.UTF_8);
    Buffer buffer = new Buffer().write(json);
    byte[] plaintext = Bodies.sealedPlaintext(buffer, compression);
    assertEquals(0, buffer.size(), "the request is not held twice while it is sealed and sent");
    assertEquals(compression == Compression.NONE ? 0 : 1, plaintext[0], "the compression flag");
    Bodies.restoreJson(plaintext, buffer);
    assertArrayEquals(json, buffer.readByteArray());
  }

  @Test
  void aSmallBodyIsSealedUncompressedWithItsFlagByte() {
    Buffer buffer = new Buffer().writeUtf8("{}");
    assertArrayEquals(new byte[] {0, '{', '}'}, Bodies.sealedPlaintext(buffer, Compression.FAST));
  }

  @Test
  void aSealedFrameBodyIsWrittenOnceAndKeepsItsLength() throws IOException {
    byte[] frame = {5, 1, 2, 3};
    SealedFrameBody body = new SealedFrameBody(frame, MediaType.get("application/vnd.parley.sealed"));
    assertTrue(body.isOneShot(), "OkHttp must never retry a sealed frame on its own");
    Buffer sink = new Buffer();
    body.writeTo(sink);
    assertArrayEquals(frame, sink.readByteArray());
    assertEquals(4, body.contentLength());
    IOException again = assertThrows(IOException.class, () -> body.writeTo(new Buffer()));
    assertTrue(again.getMessage().contains("written once"), again.getMessage());
  }

  @Test
  void aBodyOfKnownLengthIsReadOnToTheEndOfItsStream() throws IOException {
    boolean[] sawEnd = {false};
    java.io.InputStream in = new java.io.ByteArrayInputStream(new byte[] {1, 2, 3}) {
      @Override
      public synchronized int read() {
        int b = super.read();
        sawEnd[0] |= b == -1;
        return b;
      }

      @Override
      public synchronized int read(byte[] b, int off, int len) {
        int n = super.read(b, off, len);
        sawEnd[0] |= n == -1;
        return n;
      }
    };
    assertArrayEquals(new byte[] {1, 2, 3}, Bodies.readAtMost(in, 10, "the answer", 3));
    assertTrue(sawEnd[0], "the end of the stream was read (OkHttp completes an HTTP/2 stream only then)");
  }

  @Test
  void aBodyLongerOrShorterThanItsContentLengthIsRefused() {
    Exception longer = assertThrows(Exception.class,
        () -> Bodies.readAtMost(new java.io.ByteArrayInputStream(new byte[4]), 10, "the answer", 3));
    assertTrue(longer.getMessage().contains("longer than its Content-Length"), longer.getMessage());
    assertThrows(java.io.EOFException.class,
        () -> Bodies.readAtMost(new java.io.ByteArrayInputStream(new byte[2]), 10, "the answer", 3));
  }
}
