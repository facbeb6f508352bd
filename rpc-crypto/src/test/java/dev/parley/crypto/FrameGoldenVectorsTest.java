package dev.parley.crypto;

import static dev.parley.crypto.FrameFixtures.HEX;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.crypto.internal.Hkdf;
import dev.parley.crypto.internal.channel.FrameFormat;
import dev.parley.crypto.internal.channel.Limits;
import dev.parley.crypto.internal.channel.NonceObserver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reproduces the data-frame vectors of PROTOCOL.md Appendix A.4 byte for byte (constants copied
 * from the document; they are chained on the session keys of A.1). The same vectors were generated
 * independently from the document's text by a Python implementation.
 */
class FrameGoldenVectorsTest {
  // Session keys of A.1 (handshake-psk).
  static final String SID = "1c8fa0c74c2b29544901e27cdfe2724b";
  static final String C2S_KEY = "39b2d6d68085aefc7fbac588dad1bec1857b21395c45ebd7f927215e1a1ead92";
  static final String C2S_IV = "56c770316047391ba995c88d";
  static final String S2C_KEY = "bc8582d45a637e0de164b0ba4af77e9a92a64100f7c96028fbfbb7fa72ec16de";
  static final String S2C_IV = "f3d1cb1e252742ce31e49d81";
  static final String REJECT_KEY = "0d6f7823d2a70124643dd4802fd7ae98b26d7e553ec15327fa62639effaf6ee9";

  static final String METHOD = "POST";
  static final String ROUTE = "/calc";

  // frame-request (ctr 0, epoch 0)
  static final String REQUEST_PLAINTEXT = "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":{\"a\":1,\"b\":2},\"id\":1}";
  static final String REQUEST_HEADER = "05000000001c8fa0c74c2b29544901e27cdfe2724b0000000000000000";
  static final String REQUEST_AD = "05000000001c8fa0c74c2b29544901e27cdfe2724b00000000000000000004504f535400052f63616c63";
  static final String REQUEST_NONCE0 = "56c770316047391b2995c88d";
  static final String REQUEST_FRAME =
      "05000000001c8fa0c74c2b29544901e27cdfe2724b000000000000000024992e17c44ff028233355fd9d390bf2577c07a65ddb87a80054e13ae103bed644478108b5201fb2ae8b58d91b39d8b6ffa23c041b4e00830ccd9d6f08b08c32a046547661ae62968c1e1b62027f";

  // frame-response (ctr 0, reqCtr 0, status 200, epoch 0)
  static final String RESPONSE_PLAINTEXT = "{\"jsonrpc\":\"2.0\",\"result\":3,\"id\":1}";
  static final String RESPONSE_HEADER = "06000000001c8fa0c74c2b29544901e27cdfe2724b00000000000000000000000000000000";
  static final String RESPONSE_AD =
      "06000000001c8fa0c74c2b29544901e27cdfe2724b000000000000000000000000000000000004504f535400052f63616c6300c8";
  static final String RESPONSE_NONCE0 = "f3d1cb1e252742ceb1e49d81";
  static final String RESPONSE_FRAME =
      "06000000001c8fa0c74c2b29544901e27cdfe2724b00000000000000000000000000000000cadb76aad03d2ef16843e13066c4133021d04363950d84289f224bfd0cb47d9f3f911c67142e1427c3fa7720ede9f2864ab83d";

  // frame-reject (of frame-request)
  static final String REJECT_REQUEST_TAG = "8c32a046547661ae62968c1e1b62027f";
  static final String REJECT_PREFIX = "071c8fa0c74c2b29544901e27cdfe2724b000000000000000001";
  static final String REJECT_MAC1 = "ddaf8cae9f0c9271b560dd05694c3314381e9995f1cc5e36a303ba28d67c29c1";
  static final String REJECT = REJECT_PREFIX + REJECT_MAC1;

  // frame-request-two-chunks (ctr 1, epoch 0, 65537 bytes j mod 251)
  static final String TWO_HEADER = "05000000001c8fa0c74c2b29544901e27cdfe2724b0000000000000001";
  static final String TWO_PLAINTEXT_SHA256 = "237356e18b503616912abb8ffaed3a72591e397d4ac294c4637917d48a3f529d";
  static final String TWO_NONCE0 = "56c770316047391aa995c88d";
  static final String TWO_NONCE1 = "56c770316047391a2995c88c";
  static final int TWO_FRAME_LENGTH = 65598;
  static final String TWO_CHUNK0_TAG = "20708cc134c1362756f79d3f5d4330a4";
  static final String TWO_CHUNK1 = "d93160845631f7d98be786e8622501f1d9";
  static final String TWO_FRAME_SHA256 = "0eedb211fb973b6a2263b9924a230d22fde2b27ae0f966b8c9f6c854ddd79c93";

  // frame-request-epoch1-empty (ctr 2, epoch 1, empty plaintext)
  static final String K1 = "56c7f963aaedd1f694cb2adf93f25236829c26d275157b650a3ceb34d010840e";
  static final String EPOCH1_HEADER = "05000000011c8fa0c74c2b29544901e27cdfe2724b0000000000000002";
  static final String EPOCH1_AD = "05000000011c8fa0c74c2b29544901e27cdfe2724b00000000000000020004504f535400052f63616c63";
  static final String EPOCH1_NONCE0 = "56c77031604739192995c88d";
  static final String EPOCH1_FRAME = "05000000011c8fa0c74c2b29544901e27cdfe2724b000000000000000245ba96eae3786650530ff35e485f6c37";

  private static byte[] hex(String s) {
    return HEX.parseHex(s);
  }

  private SessionKeys keys;
  private SecureChannel client;
  private SecureChannel server;

  @BeforeEach
  void channelsFromTheGoldenHandshake() {
    keys = new SessionKeys(hex(SID), hex(C2S_KEY), hex(C2S_IV), hex(S2C_KEY), hex(S2C_IV), hex(REJECT_KEY));
    // Two frames per epoch, so that the third request (ctr 2) is sealed under epoch 1.
    Limits limits = new Limits(2, 1L << 36, 1L << 32, 0xFFFF, 4096);
    client = SecureChannel.create(true, keys, SecureChannel.DEFAULT_MAX_AGE, Clock.systemUTC(), limits, NonceObserver.NONE);
    server = SecureChannel.create(false, keys, SecureChannel.DEFAULT_MAX_AGE, Clock.systemUTC(), limits, NonceObserver.NONE);
  }

  private static byte[] twoChunkPlaintext() {
    byte[] b = new byte[65537];
    for (int j = 0; j < b.length; j++) {
      b[j] = (byte) (j % 251);
    }
    return b;
  }

  @Test
  void docsProtocolAppendixA4StatesExactlyTheseVectors() throws Exception {
    Map<String, String> req = vector("frame-request");
    assertEquals(HEX.formatHex(REQUEST_PLAINTEXT.getBytes(StandardCharsets.US_ASCII)), req.get("plaintext"));
    assertEquals("0", req.get("ctr"));
    assertEquals("0", req.get("epoch"));
    assertEquals(METHOD, req.get("method"));
    assertEquals(ROUTE, req.get("route"));
    assertEquals(REQUEST_HEADER, req.get("header"));
    assertEquals(REQUEST_AD, req.get("ad"));
    assertEquals(REQUEST_NONCE0, req.get("nonce0"));
    assertEquals(REQUEST_FRAME, req.get("frame"));

    Map<String, String> resp = vector("frame-response");
    assertEquals(HEX.formatHex(RESPONSE_PLAINTEXT.getBytes(StandardCharsets.US_ASCII)), resp.get("plaintext"));
    assertEquals("200", resp.get("status"));
    assertEquals("0", resp.get("reqCtr"));
    assertEquals(RESPONSE_HEADER, resp.get("header"));
    assertEquals(RESPONSE_AD, resp.get("ad"));
    assertEquals(RESPONSE_NONCE0, resp.get("nonce0"));
    assertEquals(RESPONSE_FRAME, resp.get("frame"));

    Map<String, String> reject = vector("frame-reject");
    assertEquals(REJECT_REQUEST_TAG, reject.get("requestTag"));
    assertEquals(REJECT_PREFIX, reject.get("prefix"));
    assertEquals(REJECT_MAC1, reject.get("mac1"));
    assertEquals(REJECT, reject.get("reject"));

    Map<String, String> two = vector("frame-request-two-chunks");
    assertEquals("1", two.get("ctr"));
    assertEquals("65537", two.get("plaintextLength"));
    assertEquals(TWO_PLAINTEXT_SHA256, two.get("plaintextSha256"));
    assertEquals(TWO_HEADER, two.get("header"));
    assertEquals(TWO_NONCE0, two.get("nonce0"));
    assertEquals(TWO_NONCE1, two.get("nonce1"));
    assertEquals(String.valueOf(TWO_FRAME_LENGTH), two.get("frameLength"));
    assertEquals(TWO_CHUNK0_TAG, two.get("chunk0Tag"));
    assertEquals(TWO_CHUNK1, two.get("chunk1"));
    assertEquals(TWO_FRAME_SHA256, two.get("frameSha256"));

    Map<String, String> epoch1 = vector("frame-request-epoch1-empty");
    assertEquals("1", epoch1.get("epoch"));
    assertEquals("2", epoch1.get("ctr"));
    assertEquals("0", epoch1.get("plaintextLength"));
    assertEquals(K1, epoch1.get("K1"));
    assertEquals(EPOCH1_HEADER, epoch1.get("header"));
    assertEquals(EPOCH1_AD, epoch1.get("ad"));
    assertEquals(EPOCH1_NONCE0, epoch1.get("nonce0"));
    assertEquals(EPOCH1_FRAME, epoch1.get("frame"));

    String doc = Files.readString(protocolDocument(), StandardCharsets.UTF_8);
    for (String key : new String[] {SID, C2S_KEY, C2S_IV, S2C_KEY, S2C_IV, REJECT_KEY}) {
      assertTrue(doc.contains(key), "PROTOCOL.md A.4 must state the session keys used");
    }
  }

  /** The {@code name = value} lines of the fenced block of docs/PROTOCOL.md headed {@code # vector: <name>}. */
  private static Map<String, String> vector(String name) throws IOException {
    Map<String, String> values = new LinkedHashMap<>();
    boolean inside = false;
    for (String line : Files.readAllLines(protocolDocument(), StandardCharsets.UTF_8)) {
      if (line.trim().equals("# vector: " + name)) {
        inside = true;
      } else if (inside && line.startsWith("```")) {
        return values;
      } else if (inside && !line.startsWith("#") && line.contains(" = ")) {
        values.put(line.substring(0, line.indexOf(" = ")).trim(), line.substring(line.indexOf(" = ") + 3).trim());
      }
    }
    throw new AssertionError("docs/PROTOCOL.md has no vector block '# vector: " + name + "'");
  }

  private static Path protocolDocument() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("docs/PROTOCOL.md");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError("docs/PROTOCOL.md not found above the working directory");
  }

  @Test
  void theRequestVectorIsReproduced() throws Exception {
    byte[] plain = REQUEST_PLAINTEXT.getBytes(StandardCharsets.US_ASCII);
    SecureChannel.Sealed sealed = client.sealRequest(METHOD, ROUTE, plain);
    assertEquals(0, sealed.counter());
    assertEquals(REQUEST_FRAME, HEX.formatHex(sealed.frame()));
    assertEquals(REQUEST_HEADER, HEX.formatHex(FrameFormat.header(FrameFormat.TYPE_REQUEST, 0, hex(SID), 0, 0)));
    assertEquals(REQUEST_AD, HEX.formatHex(FrameFormat.associatedData(hex(REQUEST_HEADER), 29, METHOD, ROUTE, -1)));
    assertEquals(REQUEST_NONCE0, HEX.formatHex(FrameFormat.nonce(hex(C2S_IV), 0, 0, true)));
    assertArrayEquals(plain, server.openRequest(hex(REQUEST_FRAME), METHOD, ROUTE).body());
  }

  @Test
  void theResponseVectorIsReproduced() throws Exception {
    byte[] plain = RESPONSE_PLAINTEXT.getBytes(StandardCharsets.US_ASCII);
    byte[] frame = server.sealResponse(0, 200, METHOD, ROUTE, plain);
    assertEquals(RESPONSE_FRAME, HEX.formatHex(frame));
    assertEquals(RESPONSE_HEADER, HEX.formatHex(FrameFormat.header(FrameFormat.TYPE_RESPONSE, 0, hex(SID), 0, 0)));
    assertEquals(RESPONSE_AD, HEX.formatHex(FrameFormat.associatedData(hex(RESPONSE_HEADER), 37, METHOD, ROUTE, 200)));
    assertEquals(RESPONSE_NONCE0, HEX.formatHex(FrameFormat.nonce(hex(S2C_IV), 0, 0, true)));
    assertArrayEquals(plain, client.openResponse(hex(RESPONSE_FRAME), 0, 200, METHOD, ROUTE));
  }

  @Test
  void theRejectVectorIsReproducedAndVerifies() throws Exception {
    byte[] request = hex(REQUEST_FRAME);
    assertEquals(REJECT_REQUEST_TAG, HEX.formatHex(Arrays.copyOfRange(request, request.length - 16, request.length)));
    byte[] reject = SecureChannel.sealRejectWith(request, hex(REJECT_KEY));
    assertEquals(REJECT, HEX.formatHex(reject));
    assertTrue(client.verifyReject(reject, 0, hex(REJECT_REQUEST_TAG)));
  }

  @Test
  void theTwoChunkVectorIsReproduced() throws Exception {
    client.sealRequest(METHOD, ROUTE, REQUEST_PLAINTEXT.getBytes(StandardCharsets.US_ASCII));
    byte[] plain = twoChunkPlaintext();
    assertEquals(TWO_PLAINTEXT_SHA256, HEX.formatHex(Hkdf.sha256(plain)));
    byte[] frame = client.sealRequest(METHOD, ROUTE, plain).frame();
    assertEquals(TWO_FRAME_LENGTH, frame.length);
    assertEquals(TWO_HEADER, HEX.formatHex(Arrays.copyOf(frame, 29)));
    assertEquals(TWO_CHUNK0_TAG, HEX.formatHex(Arrays.copyOfRange(frame, 29 + 65536, 29 + 65552)));
    assertEquals(TWO_CHUNK1, HEX.formatHex(Arrays.copyOfRange(frame, 29 + 65552, frame.length)));
    assertEquals(TWO_FRAME_SHA256, HEX.formatHex(Hkdf.sha256(frame)));
    assertEquals(TWO_NONCE0, HEX.formatHex(FrameFormat.nonce(hex(C2S_IV), 1, 0, false)));
    assertEquals(TWO_NONCE1, HEX.formatHex(FrameFormat.nonce(hex(C2S_IV), 1, 1, true)));
    server.openRequest(hex(REQUEST_FRAME), METHOD, ROUTE);
    assertArrayEquals(plain, server.openRequest(frame, METHOD, ROUTE).body());
  }

  @Test
  void theEpochOneVectorIsReproduced() throws Exception {
    assertEquals(K1, HEX.formatHex(Hkdf.expand(hex(C2S_KEY),
        "parley v1 epoch key".getBytes(StandardCharsets.US_ASCII), 32)));
    client.sealRequest(METHOD, ROUTE, REQUEST_PLAINTEXT.getBytes(StandardCharsets.US_ASCII));
    client.sealRequest(METHOD, ROUTE, twoChunkPlaintext());
    byte[] frame = client.sealRequest(METHOD, ROUTE, new byte[0]).frame();
    assertEquals(EPOCH1_FRAME, HEX.formatHex(frame));
    assertEquals(EPOCH1_HEADER, HEX.formatHex(Arrays.copyOf(frame, 29)));
    assertEquals(EPOCH1_AD, HEX.formatHex(FrameFormat.associatedData(hex(EPOCH1_HEADER), 29, METHOD, ROUTE, -1)));
    assertEquals(EPOCH1_NONCE0, HEX.formatHex(FrameFormat.nonce(hex(C2S_IV), 2, 0, true)));
    // The server follows to epoch 1 and opens it.
    assertArrayEquals(new byte[0], server.openRequest(frame, METHOD, ROUTE).body());
    assertEquals(1, server.receiveEpoch());
  }
}
