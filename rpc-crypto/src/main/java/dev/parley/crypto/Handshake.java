package dev.parley.crypto;

import dev.parley.crypto.internal.AesGcm;
import dev.parley.crypto.internal.Hkdf;
import dev.parley.crypto.internal.SymmetricState;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;

/** Constants and the computations both handshake sides share (PROTOCOL.md §4–§7). */
final class Handshake {
  static final byte VERSION = 0x01;
  static final byte MSG1 = 0x01;
  static final byte MSG2 = 0x02;
  static final byte MSG3 = 0x03;
  static final byte MSG4 = 0x04;
  static final byte SUITE_PSK = 0x01;
  static final byte SUITE_NN = 0x02;

  static final String NAME_PSK = "Noise_NNpsk0_25519_AESGCM_SHA256";  // PROTOCOL.md §4
  static final String NAME_NN = "Noise_NN_25519_AESGCM_SHA256";

  static final int MIN_CONTRIBUTION = 16;  // PROTOCOL.md §6: A, B, Ls
  static final int MAX_CONTRIBUTION = 64;
  static final int DEFAULT_CONTRIBUTION = 32;
  static final int MAX_ROUTE_BYTES = 1024;

  static final int KEY = 32;
  static final int TAG = AesGcm.TAG_LENGTH;
  static final int MSG1_HEADER = 6;
  static final int MSG2_FIXED = 53;       // PROTOCOL.md §6.2
  static final int MAX_TOKEN = 1024;
  static final int SID = 16;
  static final int INSTANCE_ID = ServerInstance.ID_LENGTH;
  static final int MSG3_FIXED = 4 + 1 + SID + TAG;  // + |token| + A, PROTOCOL.md §6.4
  static final int MSG4_FIXED = 2 + 12 + 1 + SID + INSTANCE_ID + KEY + TAG;  // + Ls, PROTOCOL.md §6.5

  private static final byte[] MSG3_KEY = ascii("parley v1 msg3 key");  // Appendix B
  private static final byte[] MSG4_KEY = ascii("parley v1 msg4 key");
  private static final byte[] C2S_KEY = ascii("parley v1 c2s key");
  private static final byte[] C2S_IV = ascii("parley v1 c2s iv");
  private static final byte[] S2C_KEY = ascii("parley v1 s2c key");
  private static final byte[] S2C_IV = ascii("parley v1 s2c iv");

  private Handshake() {}

  static byte[] routeBytes(String route) {
    Objects.requireNonNull(route, "route == null");
    byte[] bytes = route.getBytes(StandardCharsets.UTF_8);
    if (bytes.length < 1 || bytes.length > MAX_ROUTE_BYTES) {
      throw new IllegalArgumentException("the module route must be 1 to " + MAX_ROUTE_BYTES
          + " bytes of UTF-8, got " + bytes.length);
    }
    return bytes;
  }

  static int checkContribution(int length, String setting) {
    if (length < MIN_CONTRIBUTION || length > MAX_CONTRIBUTION) {
      throw new IllegalArgumentException(setting + " must be " + MIN_CONTRIBUTION + " to "
          + MAX_CONTRIBUTION + " bytes, got " + length);
    }
    return length;
  }

  /** PROTOCOL.md §5: version ‖ suite ‖ keyId ‖ flags ‖ A ‖ u16 |route| ‖ route. */
  static byte[] prologue(byte suite, int keyId, int flags, int a, byte[] route) {
    byte[] p = new byte[7 + route.length];
    p[0] = VERSION;
    p[1] = suite;
    p[2] = (byte) keyId;
    p[3] = (byte) flags;
    p[4] = (byte) a;
    p[5] = (byte) (route.length >>> 8);
    p[6] = (byte) route.length;
    System.arraycopy(route, 0, p, 7, route.length);
    return p;
  }

  /**
   * PROTOCOL.md §6.1: the symmetric state up to msg1's payload; returns msg1's tag (empty for NN).
   * Both sides run this; the server compares the tag. No Diffie-Hellman here.
   */
  static byte[] msg1State(SymmetricState s, byte suite, byte[] prologue, byte[] psk, byte[] eC) {
    s.mixHash(prologue);
    if (suite == SUITE_PSK) {
      s.mixKeyAndHash(psk);
    }
    s.mixHash(eC);
    if (suite == SUITE_PSK) {
      s.mixKey(eC);
    }
    return s.encryptAndHash(new byte[0]);
  }

  /** PROTOCOL.md §6.2: the `e` token of msg2 (before `ee`). */
  static void mixServerEphemeral(SymmetricState s, byte suite, byte[] eS) {
    s.mixHash(eS);
    if (suite == SUITE_PSK) {
      s.mixKey(eS);
    }
  }

  static SymmetricState newState(byte suite) {
    return new SymmetricState(suite == SUITE_PSK ? NAME_PSK : NAME_NN);
  }

  /** PROTOCOL.md §6.4: k3 = Expand(ck2, "parley v1 msg3 key", 32). */
  static SecretKey msg3Key(byte[] ck2) {
    return ownedKey(Hkdf.expand(ck2, MSG3_KEY, KEY));
  }

  /** PROTOCOL.md §6.5: k4 = Expand(ck3, "parley v1 msg4 key", 32). */
  static SecretKey msg4Key(byte[] ck3) {
    return ownedKey(Hkdf.expand(ck3, MSG4_KEY, KEY));
  }

  /** PROTOCOL.md §7.2: the traffic keys from ck4 and h4, with the session's owner (§6.5). */
  static SessionKeys sessionKeys(byte[] sid, byte[] ck4, byte[] h4, byte[] rejectKey, byte[] instanceId) {
    byte[] c2sKey = Hkdf.expand(ck4, concat(C2S_KEY, h4), 32);
    byte[] c2sIv = Hkdf.expand(ck4, concat(C2S_IV, h4), 12);
    byte[] s2cKey = Hkdf.expand(ck4, concat(S2C_KEY, h4), 32);
    byte[] s2cIv = Hkdf.expand(ck4, concat(S2C_IV, h4), 12);
    try {
      return new SessionKeys(sid, c2sKey, c2sIv, s2cKey, s2cIv, rejectKey, instanceId);
    } finally {
      zero(c2sKey, c2sIv, s2cKey, s2cIv, rejectKey);
    }
  }

  /** Seals with a zero or given nonce; returns ciphertext ‖ tag. */
  static byte[] seal(SecretKey key, byte[] nonce, byte[] ad, byte[] plaintext) {
    byte[] out = new byte[plaintext.length + TAG];
    AesGcm.seal(key, nonce, ad, plaintext, 0, plaintext.length, out, 0);
    return out;
  }

  /** Opens in[off, off+len); an AEAD failure becomes AUTHENTICATION. */
  static byte[] open(SecretKey key, byte[] nonce, byte[] ad, byte[] in, int off, int len) throws CryptoException {
    byte[] out = new byte[len - TAG];
    try {
      AesGcm.open(key, nonce, ad, in, off, len, out, 0);
      return out;
    } catch (AEADBadTagException e) {
      throw rejected(CryptoException.Reason.AUTHENTICATION);
    }
  }

  static SecretKey ownedKey(byte[] raw) {
    try {
      return AesGcm.key(raw);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  static CryptoException rejected(CryptoException.Reason reason) {
    return new CryptoException(reason, "handshake message rejected");
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int off = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, off, p.length);
      off += p.length;
    }
    return out;
  }

  static void zero(byte[]... arrays) {
    for (byte[] a : arrays) {
      if (a != null) {
        Arrays.fill(a, (byte) 0);
      }
    }
  }

  static void destroy(SecretKey key) {
    try {
      key.destroy();
    } catch (javax.security.auth.DestroyFailedException ignored) {
      // AesGcm keys support destroy(); nothing else reaches here.
    }
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
