package dev.parley.crypto;

import static dev.parley.crypto.FrameFixtures.HEX;
import static dev.parley.crypto.FrameFixtures.openRequest;
import static dev.parley.crypto.FrameFixtures.openResponse;
import static dev.parley.crypto.FrameFixtures.sealResponse;
import static dev.parley.crypto.GoldenHandshakeVectorsTest.vector;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.crypto.internal.Hkdf;
import dev.parley.crypto.internal.channel.FrameFormat;
import dev.parley.crypto.internal.channel.Limits;
import dev.parley.crypto.internal.channel.NonceObserver;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reproduces the data-frame vectors of PROTOCOL.md Appendix A.4 byte for byte, read from the
 * document itself; they are chained on the session keys of vector A.1 (handshake-psk), read from
 * there too. The same vectors were generated independently from the document's text by a Python
 * implementation (src/test/resources/frames/independent_frames.py).
 *
 * <p>To print the values (for pasting into the document after a deliberate protocol change), run
 * with {@code -Dparley.printVectors=true}.
 */
class FrameGoldenVectorsTest {
  private static final boolean PRINT = Boolean.getBoolean("parley.printVectors");

  private Map<String, String> session;
  private ClientChannel client;
  private ServerChannel server;

  @BeforeEach
  void channelsFromTheGoldenHandshake() throws Exception {
    session = vector("handshake-psk");
    SessionKeys keys = new SessionKeys(hex(session.get("sid")), hex(session.get("c2sKey")), hex(session.get("c2sIv")),
        hex(session.get("s2cKey")), hex(session.get("s2cIv")), hex(session.get("sessionRejectKey")),
        hex(session.get("instanceId")));
    // Two frames per epoch, so that the third request (ctr 2) is sealed under epoch 1.
    Limits limits = new Limits(2, 1L << 36, 1L << 32, 0xFFFF, 4096);
    client = ClientChannel.create(keys, ClientChannel.DEFAULT_MAX_AGE, Clock.systemUTC(), limits, NonceObserver.NONE);
    server = ServerChannel.create(keys, ServerChannel.DEFAULT_MAX_AGE, Clock.systemUTC(), limits, NonceObserver.NONE);
  }

  @Test
  void theRequestVectorIsReproduced() throws Exception {
    Map<String, String> v = vector("frame-request");
    byte[] plain = hex(v.get("plaintext"));
    assertEquals("{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":{\"a\":1,\"b\":2},\"id\":1}",
        new String(plain, StandardCharsets.US_ASCII));
    ClientChannel.Sealed sealed = client.sealRequest(v.get("method"), v.get("route"), plain);
    Map<String, String> out = new LinkedHashMap<>();
    out.put("header", HEX.formatHex(FrameFormat.header(FrameFormat.TYPE_REQUEST, 0, sid(), 0, 0)));
    out.put("ad", HEX.formatHex(FrameFormat.associatedData(hex(out.get("header")), 29, v.get("method"), v.get("route"), -1)));
    out.put("nonce0", HEX.formatHex(FrameFormat.nonce(hex(session.get("c2sIv")), 0, 0, true)));
    out.put("frame", HEX.formatHex(sealed.frame()));
    check("frame-request", v, out);
    assertEquals(0, sealed.counter());
    assertArrayEquals(plain, openRequest(server, hex(v.get("frame")), v.get("method"), v.get("route")).body());
  }

  @Test
  void theResponseVectorIsReproduced() throws Exception {
    Map<String, String> v = vector("frame-response");
    byte[] plain = hex(v.get("plaintext"));
    int status = Integer.parseInt(v.get("status"));
    byte[] frame = sealResponse(server, Long.parseLong(v.get("reqCtr")), status, v.get("method"), v.get("route"), plain);
    Map<String, String> out = new LinkedHashMap<>();
    out.put("header", HEX.formatHex(FrameFormat.header(FrameFormat.TYPE_RESPONSE, 0, sid(), 0, 0)));
    out.put("ad", HEX.formatHex(FrameFormat.associatedData(hex(out.get("header")), 37, v.get("method"), v.get("route"), status)));
    out.put("nonce0", HEX.formatHex(FrameFormat.nonce(hex(session.get("s2cIv")), 0, 0, true)));
    out.put("frame", HEX.formatHex(frame));
    check("frame-response", v, out);
    assertArrayEquals(plain, openResponse(client, hex(v.get("frame")), 0, status, v.get("method"), v.get("route")));
  }

  @Test
  void theRejectVectorIsReproducedAndVerifiesOnlyForItsRoute() throws Exception {
    Map<String, String> v = vector("frame-reject");
    byte[] request = hex(vector("frame-request").get("frame"));
    byte[] tag = Arrays.copyOfRange(request, request.length - 16, request.length);
    ServerInstance instance = ServerInstance.of(hex(session.get("instanceId")), hex(session.get("instanceSecret")));
    byte[] reject = instance.reject(request, v.get("route"));
    Map<String, String> out = new LinkedHashMap<>();
    out.put("requestTag", HEX.formatHex(tag));
    out.put("prefix", HEX.formatHex(Arrays.copyOf(reject, 41)));
    out.put("mac", HEX.formatHex(Arrays.copyOfRange(reject, 41, reject.length)));
    out.put("reject", HEX.formatHex(reject));
    check("frame-reject", v, out);
    assertEquals(ClientChannel.RejectCheck.VERIFIED, client.checkReject(hex(v.get("reject")), 0, tag, v.get("route")));
    assertEquals(ClientChannel.RejectCheck.INVALID, client.checkReject(hex(v.get("reject")), 0, tag, "/other"));
  }

  @Test
  void theTwoChunkVectorIsReproduced() throws Exception {
    Map<String, String> v = vector("frame-request-two-chunks");
    client.sealRequest("POST", "/calc", hex(vector("frame-request").get("plaintext")));
    byte[] plain = twoChunkPlaintext(Integer.parseInt(v.get("plaintextLength")));
    byte[] frame = client.sealRequest(v.get("method"), v.get("route"), plain).frame();
    Map<String, String> out = new LinkedHashMap<>();
    out.put("plaintextSha256", HEX.formatHex(Hkdf.sha256(plain)));
    out.put("header", HEX.formatHex(Arrays.copyOf(frame, 29)));
    out.put("nonce0", HEX.formatHex(FrameFormat.nonce(hex(session.get("c2sIv")), 1, 0, false)));
    out.put("nonce1", HEX.formatHex(FrameFormat.nonce(hex(session.get("c2sIv")), 1, 1, true)));
    out.put("frameLength", String.valueOf(frame.length));
    out.put("chunk0Tag", HEX.formatHex(Arrays.copyOfRange(frame, 29 + 65536, 29 + 65552)));
    out.put("chunk1", HEX.formatHex(Arrays.copyOfRange(frame, 29 + 65552, frame.length)));
    out.put("frameSha256", HEX.formatHex(Hkdf.sha256(frame)));
    check("frame-request-two-chunks", v, out);
    openRequest(server, hex(vector("frame-request").get("frame")), "POST", "/calc");
    assertArrayEquals(plain, openRequest(server, frame, v.get("method"), v.get("route")).body());
  }

  @Test
  void theEpochOneVectorIsReproduced() throws Exception {
    Map<String, String> v = vector("frame-request-epoch1-empty");
    client.sealRequest("POST", "/calc", hex(vector("frame-request").get("plaintext")));
    client.sealRequest("POST", "/calc", twoChunkPlaintext(65537));
    byte[] frame = client.sealRequest(v.get("method"), v.get("route"), new byte[0]).frame();
    Map<String, String> out = new LinkedHashMap<>();
    out.put("K1", HEX.formatHex(Hkdf.expand(hex(session.get("c2sKey")),
        "parley v1 epoch key".getBytes(StandardCharsets.US_ASCII), 32)));
    out.put("header", HEX.formatHex(Arrays.copyOf(frame, 29)));
    out.put("ad", HEX.formatHex(FrameFormat.associatedData(hex(out.get("header")), 29, v.get("method"), v.get("route"), -1)));
    out.put("nonce0", HEX.formatHex(FrameFormat.nonce(hex(session.get("c2sIv")), 2, 0, true)));
    out.put("frame", HEX.formatHex(frame));
    check("frame-request-epoch1-empty", v, out);
    // The server follows to epoch 1 and opens it.
    assertArrayEquals(new byte[0], openRequest(server, hex(v.get("frame")), v.get("method"), v.get("route")).body());
    assertEquals(1, server.receiveEpoch());
  }

  /** Every computed value must be the document's (printed first with -Dparley.printVectors=true). */
  private static void check(String name, Map<String, String> doc, Map<String, String> computed) {
    if (PRINT) {
      System.out.println("# vector: " + name);
      computed.forEach((k, val) -> System.out.println(k + " = " + val));
    }
    computed.forEach((k, val) -> assertEquals(doc.get(k), val, name + ": " + k));
  }

  private byte[] sid() {
    return hex(session.get("sid"));
  }

  private static byte[] twoChunkPlaintext(int length) {
    byte[] b = new byte[length];
    for (int j = 0; j < b.length; j++) {
      b[j] = (byte) (j % 251);
    }
    return b;
  }

  private static byte[] hex(String s) {
    if (s == null) {
      throw new AssertionError("a value is missing from docs/PROTOCOL.md Appendix A");
    }
    return HEX.parseHex(s);
  }
}
