package dev.parley.crypto;

import static dev.parley.crypto.FrameFixtures.HEX;
import static dev.parley.crypto.GoldenHandshakeVectorsTest.vector;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Reproduces PROTOCOL.md Appendix A.5 (a request plaintext with a metadata block, §15.4) byte for
 * byte, read from the document itself, and opens it again. The Python program of A.4
 * (src/test/resources/frames/independent_frames.py) computes the same bytes from the text alone.
 */
class PlaintextGoldenVectorTest {
  @Test
  void theMetadataVectorIsReproducedAndOpensToItsInputs() throws Exception {
    Map<String, String> v = vector("plaintext-request-metadata");
    byte[] json = HEX.parseHex(v.get("json"));
    RequestMetadata meta = new RequestMetadata(Long.parseLong(v.get("timeoutMillis")), v.get("traceparent"),
        v.get("tracestate"));
    byte[] withFlag = new byte[json.length + 1];
    System.arraycopy(json, 0, withFlag, 1, json.length);
    byte[] plaintext = HttpBinding.withMetadata(HttpBinding.sealedPlaintext(withFlag, withFlag.length, 0).toByteArray(),
        meta);
    assertEquals(v.get("metaLength"), String.valueOf(meta.encodedLength()));
    assertEquals(v.get("meta"), HEX.formatHex(meta.encode()));
    assertEquals(v.get("plaintext"), HEX.formatHex(plaintext));

    HttpBinding.OpenedRequest opened = HttpBinding.openRequest(plaintext, 0, plaintext.length, 1 << 20);
    assertEquals(meta, opened.metadata());
    assertArrayEquals(json, opened.json().toByteArray());
  }
}
