package dev.parley.crypto;

import static dev.parley.crypto.HandshakeFixtures.HEX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.parley.crypto.HandshakeFixtures.FixedRandom;
import dev.parley.crypto.internal.AesGcm;
import dev.parley.crypto.internal.Hkdf;
import dev.parley.crypto.internal.X25519;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The golden handshake vectors of docs/PROTOCOL.md Appendix A, read from the document itself so
 * the document and the code cannot drift. Each vector is checked twice: the production classes must
 * produce the document's messages and keys, and a second, deliberately naive model written from the
 * document's formulas (§3–§7, without SymmetricState) must produce every value the document lists,
 * intermediate values included.
 *
 * <p>To print the values (for pasting into the document after a deliberate protocol change), run
 * with {@code -Dparley.printVectors=true}.
 */
class GoldenHandshakeVectorsTest {

  @ParameterizedTest
  @ValueSource(strings = {"handshake-psk", "handshake-nn"})
  void productionCodeReproducesTheDocumentsVector(String name) throws Exception {
    Map<String, String> doc = vector(name);
    Map<String, String> produced = runProductionCode(doc);
    for (Map.Entry<String, String> e : produced.entrySet()) {
      assertTrue(doc.containsKey(e.getKey()), "PROTOCOL.md vector " + name + " lacks " + e.getKey());
      assertEquals(doc.get(e.getKey()), e.getValue(), name + ": " + e.getKey());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"handshake-psk", "handshake-nn"})
  void modelWrittenFromTheDocumentReproducesEveryValue(String name) throws Exception {
    Map<String, String> doc = vector(name);
    Map<String, String> model = new Model(doc).run();
    if (Boolean.getBoolean("parley.printVectors")) {
      model.forEach((k, v) -> System.out.println(k + " = " + v));
    }
    for (Map.Entry<String, String> e : doc.entrySet()) {
      if (!model.containsKey(e.getKey())) {
        fail("the model does not compute " + e.getKey() + " of vector " + name);
      }
      assertEquals(e.getValue(), model.get(e.getKey()), name + ": " + e.getKey());
    }
  }

  private static Map<String, String> runProductionCode(Map<String, String> in) throws CryptoException {
    boolean nn = in.get("secureKey").equals("none");
    SecureKey key = nn ? SecureKey.none() : SecureKey.parse(in.get("secureKey")).withKeyId(num(in, "keyId"));
    String route = in.get("route");
    Clock clock = Clock.fixed(Instant.ofEpochMilli(Long.parseLong(in.get("now"))), ZoneOffset.UTC);
    HandshakeResponder server = HandshakeResponder.builder(route).secureKey(key)
        .encryptionKey(num(in, "serverEncryptionKey")).clock(clock)
        .instance(ServerInstance.of(hex(in, "instanceId"), hex(in, "instanceSecret")))
        .random(new FixedRandom(hex(in, "eS.priv"), hex(in, "tokenKey"), hex(in, "tokenNonce"),
            hex(in, "S2"), hex(in, "n4")))
        .build();
    ClientHandshake client = ClientHandshake.start(key, route, num(in, "A"),
        new FixedRandom(hex(in, "eC.priv"), hex(in, "sid"), hex(in, "C2")));
    Map<String, String> out = new LinkedHashMap<>();
    byte[] msg1 = client.message1();
    byte[] msg2 = server.answerMessage1(msg1);
    byte[] msg3 = client.message3(msg2);
    HandshakeResponder.Accepted accepted = server.acceptMessage3(msg3);
    SessionKeys keys = client.finish(accepted.message4());
    HandshakeFixtures.assertSameKeys(keys, accepted.sessionKeys());
    out.put("msg1", HEX.formatHex(msg1));
    out.put("msg2", HEX.formatHex(msg2));
    out.put("msg3", HEX.formatHex(msg3));
    out.put("msg4", HEX.formatHex(accepted.message4()));
    out.put("sid", HEX.formatHex(keys.sessionId()));
    out.put("sidText", keys.sessionIdText());
    out.put("c2sKey", HEX.formatHex(keys.c2sKey()));
    out.put("c2sIv", HEX.formatHex(keys.c2sIv()));
    out.put("s2cKey", HEX.formatHex(keys.s2cKey()));
    out.put("s2cIv", HEX.formatHex(keys.s2cIv()));
    out.put("sessionRejectKey", HEX.formatHex(keys.rejectKey()));
    out.put("instanceId", HEX.formatHex(keys.instanceId()));
    return out;
  }

  /** A straight transcription of PROTOCOL.md §3–§7 (its own Noise operations, no SymmetricState). */
  private static final class Model {
    private final Map<String, String> in;
    private final Map<String, String> out = new LinkedHashMap<>();
    private byte[] ck;
    private byte[] h;
    private byte[] k;
    private long n;

    Model(Map<String, String> in) {
      this.in = in;
    }

    Map<String, String> run() throws Exception {
      for (String input : List.of("secureKey", "keyId", "route", "A", "B", "serverEncryptionKey", "now",
          "eC.priv", "sid", "eS.priv", "C2", "S2", "tokenKey", "tokenNonce", "n4", "instanceId", "instanceSecret")) {
        out.put(input, in.get(input));
      }
      boolean psk = !in.get("secureKey").equals("none");
      int suite = psk ? 1 : 2;
      int keyId = psk ? num(in, "keyId") : 0;
      int a = num(in, "A");
      int b = num(in, "B");
      long now = Long.parseLong(in.get("now"));
      byte[] route = in.get("route").getBytes(StandardCharsets.UTF_8);

      // §3
      byte[] salt = ascii("parley v1 securekey");
      byte[] prk = Hkdf.extract(salt, psk ? HEX.parseHex(in.get("secureKey")) : new byte[0]);
      byte[] pskBytes = Hkdf.expand(prk, ascii("parley v1 psk"), 32);
      put("prk", prk);
      if (psk) {
        put("psk", pskBytes);
      }

      // §4, §5
      String name = psk ? "Noise_NNpsk0_25519_AESGCM_SHA256" : "Noise_NN_25519_AESGCM_SHA256";
      h = Arrays.copyOf(ascii(name), 32);
      ck = h.clone();
      byte[] prologue = cat(new byte[] {1, (byte) suite, (byte) keyId, 0, (byte) a,
          (byte) (route.length >> 8), (byte) route.length}, route);
      put("prologue", prologue);
      mixHash(prologue);

      // §6.1
      byte[] eCpriv = hex(in, "eC.priv");
      byte[] eC = X25519.fromPrivate(eCpriv).publicKey();
      put("eC.pub", eC);
      if (psk) {
        mixKeyAndHash(pskBytes);
      }
      mixHash(eC);
      if (psk) {
        mixKey(eC);
      }
      byte[] tag = encryptAndHash(new byte[0]);
      put("h1", h);
      byte[] msg1 = cat(new byte[] {1, 1, (byte) suite, (byte) keyId, 0, (byte) a}, eC, tag);
      put("msg1", msg1);

      // §6.2
      byte[] eSpriv = hex(in, "eS.priv");
      byte[] eS = X25519.fromPrivate(eSpriv).publicKey();
      put("eS.pub", eS);
      mixHash(eS);
      if (psk) {
        mixKey(eS);
      }
      byte[] dh = X25519.agree(eSpriv, eC);
      put("ee", dh);
      mixKey(dh);
      byte[] c2 = encryptAndHash(new byte[] {0});
      byte[] ck2 = ck.clone();
      byte[] h2 = h.clone();
      put("ck2", ck2);
      put("h2", h2);

      // §6.3
      long gen = now / 300000;
      byte[] header = cat(ByteBuffer.allocate(4).putInt((int) gen).array(), hex(in, "tokenNonce"));
      byte[] tp = cat(ByteBuffer.allocate(8).putLong(now + 30000).array(),
          new byte[] {(byte) keyId, (byte) a}, ck2, h2);
      put("tokenPlaintext", tp);
      byte[] token = cat(header, seal(hex(in, "tokenKey"), hex(in, "tokenNonce"), header, tp));
      put("token", token);
      byte[] msg2 = cat(new byte[] {1, 2}, eS, c2, new byte[] {0, (byte) token.length}, token);
      put("msg2", msg2);

      // §6.4
      byte[] k3 = Hkdf.expand(ck2, ascii("parley v1 msg3 key"), 32);
      put("k3", k3);
      byte[] msg3Header = cat(new byte[] {1, 3, 0, (byte) token.length}, token);
      byte[] c2Bytes = hex(in, "C2");
      byte[] sid = hex(in, "sid");   // §7.1: chosen by the client
      byte[] c3 = seal(k3, new byte[12], cat(h2, msg3Header), cat(new byte[] {(byte) b}, sid, c2Bytes));
      byte[] msg3 = cat(msg3Header, c3);
      put("msg3", msg3);
      byte[] h3 = Hkdf.sha256(h2, msg3);
      byte[] ck3 = Hkdf.extract(ck2, c2Bytes);
      put("h3", h3);
      put("ck3", ck3);
      out.put("sidText", java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(sid));

      // §6.5
      int ls = Math.max(b, num(in, "serverEncryptionKey"));
      byte[] s2 = hex(in, "S2");
      assertEquals(ls, s2.length, "S2 must be max(B, serverEncryptionKey) bytes");
      byte[] k4 = Hkdf.expand(ck3, ascii("parley v1 msg4 key"), 32);
      put("k4", k4);
      byte[] n4 = hex(in, "n4");
      byte[] msg4Header = cat(new byte[] {1, 4}, n4);
      byte[] rejectKey = Hkdf.expand(hex(in, "instanceSecret"), cat(ascii("parley v1 session reject key"), sid), 32);
      put("sessionRejectKey", rejectKey);
      byte[] msg4 = cat(msg4Header, seal(k4, n4, cat(h3, msg4Header),
          cat(new byte[] {(byte) ls}, s2, sid, hex(in, "instanceId"), rejectKey)));
      put("msg4", msg4);
      byte[] h4 = Hkdf.sha256(h3, msg4);
      byte[] ck4 = Hkdf.extract(ck3, s2);
      put("h4", h4);
      put("ck4", ck4);

      // §7.2
      put("c2sKey", Hkdf.expand(ck4, cat(ascii("parley v1 c2s key"), h4), 32));
      put("c2sIv", Hkdf.expand(ck4, cat(ascii("parley v1 c2s iv"), h4), 12));
      put("s2cKey", Hkdf.expand(ck4, cat(ascii("parley v1 s2c key"), h4), 32));
      put("s2cIv", Hkdf.expand(ck4, cat(ascii("parley v1 s2c iv"), h4), 12));
      return out;
    }

    // PROTOCOL.md §4, transcribed.
    private void mixHash(byte[] data) {
      h = Hkdf.sha256(h, data);
    }

    private void mixKey(byte[] ikm) {
      byte[] t = Hkdf.hmac(ck, ikm);
      ck = Hkdf.hmac(t, new byte[] {1});
      k = Hkdf.hmac(t, ck, new byte[] {2});
      n = 0;
    }

    private void mixKeyAndHash(byte[] ikm) {
      byte[] t = Hkdf.hmac(ck, ikm);
      ck = Hkdf.hmac(t, new byte[] {1});
      byte[] t2 = Hkdf.hmac(t, ck, new byte[] {2});
      byte[] k3 = Hkdf.hmac(t, t2, new byte[] {3});
      mixHash(t2);
      k = k3;
      n = 0;
    }

    private byte[] encryptAndHash(byte[] p) {
      byte[] c = p;
      if (k != null) {
        c = seal(k, ByteBuffer.allocate(12).putLong(4, n).array(), h, p);
        n++;
      }
      mixHash(c);
      return c;
    }

    private void put(String name, byte[] value) {
      out.put(name, HEX.formatHex(value));
    }

    private static byte[] seal(byte[] key, byte[] nonce, byte[] ad, byte[] p) {
      byte[] c = new byte[p.length + 16];
      AesGcm.seal(AesGcm.key(key), nonce, ad, p, 0, p.length, c, 0);
      return c;
    }
  }

  // ---- reading Appendix A of docs/PROTOCOL.md ----

  /** The `name = value` lines of the fenced block that starts with `# vector: <name>`. */
  static Map<String, String> vector(String name) throws IOException {
    List<String> lines = Files.readAllLines(protocolDocument(), StandardCharsets.UTF_8);
    Map<String, String> values = new LinkedHashMap<>();
    boolean inside = false;
    for (String line : lines) {
      if (line.trim().equals("# vector: " + name)) {
        inside = true;
      } else if (inside && line.startsWith("```")) {
        return values;
      } else if (inside && line.contains("=") && !line.trim().startsWith("#")) {
        int eq = line.indexOf('=');
        String value = line.substring(eq + 1).trim();
        int comment = value.indexOf("  #");
        values.put(line.substring(0, eq).trim(), comment >= 0 ? value.substring(0, comment).trim() : value);
      }
    }
    throw new AssertionError("docs/PROTOCOL.md has no complete vector block '# vector: " + name + "'");
  }

  static Path protocolDocument() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      Path candidate = p.resolve("docs/PROTOCOL.md");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError("docs/PROTOCOL.md not found above " + dir);
  }

  private static int num(Map<String, String> in, String key) {
    return Integer.parseInt(in.get(key));
  }

  private static byte[] hex(Map<String, String> in, String key) {
    String v = in.get(key);
    if (v == null) {
      throw new AssertionError("vector input " + key + " missing");
    }
    return HEX.parseHex(v);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] cat(byte[]... parts) {
    return Handshake.concat(parts);
  }
}
