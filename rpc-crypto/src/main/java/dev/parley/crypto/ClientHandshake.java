package dev.parley.crypto;

import static dev.parley.crypto.Handshake.KEY;
import static dev.parley.crypto.Handshake.rejected;
import static dev.parley.crypto.Handshake.zero;

import dev.parley.crypto.CryptoException.Reason;
import dev.parley.crypto.internal.Hkdf;
import dev.parley.crypto.internal.SymmetricState;
import dev.parley.crypto.internal.X25519;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;

/**
 * The client side of one handshake (PROTOCOL.md §6): {@link #message1()}, then
 * {@link #message3(byte[])} with the server's msg2, then {@link #finish(byte[])} with msg4. One
 * instance per handshake, used by one thread at a time. Any rejected message ends the handshake
 * (start a new one); every secret is zeroed when it ends.
 *
 * <p>The client chooses the session id (16 random bytes, drawn with msg1): send it as the
 * {@code Parley-Session} header of both handshake requests ({@link #sessionIdText()}), so that a load
 * balancer hashing that header routes the handshake and every later call to one server process
 * (PROTOCOL.md §7.1, §15.2).
 *
 * <pre>{@code
 * ClientHandshake hs = ClientHandshake.start(secureKey, "/calc");
 * byte[] msg1 = hs.message1();
 * byte[] msg2 = post(msg1, hs.sessionIdText());
 * byte[] msg4 = post(hs.message3(msg2));
 * SessionKeys keys = hs.finish(msg4);
 * }</pre>
 */
public final class ClientHandshake {
  private enum Step { NEW, SENT1, SENT3, DONE }

  private final SecureKey secureKey;
  private final byte suite;
  private final byte[] route;
  private final int contribution;  // A = B = the client's EncryptionKey, PROTOCOL.md §6.1, §6.4
  private final SecureRandom random;

  private Step step = Step.NEW;
  private SymmetricState state;
  private byte[] ePrivate;
  private byte[] ck3;
  private byte[] h3;
  private byte[] sid;

  private ClientHandshake(SecureKey secureKey, String route, int encryptionKey, SecureRandom random) {
    this.secureKey = Objects.requireNonNull(secureKey, "secureKey == null");
    this.suite = secureKey.isNone() ? Handshake.SUITE_NN : Handshake.SUITE_PSK;
    this.route = Handshake.routeBytes(route);
    this.contribution = Handshake.checkContribution(encryptionKey, "encryptionKey");
    this.random = Objects.requireNonNull(random, "random == null");
  }

  /** A handshake with 32-byte contributions and a new {@link SecureRandom}. */
  public static ClientHandshake start(SecureKey secureKey, String route) {
    return new ClientHandshake(secureKey, route, Handshake.DEFAULT_CONTRIBUTION, new SecureRandom());
  }

  /**
   * @param encryptionKey the client's EncryptionKey: the length of C2 and the minimum length of S2,
   *     16 to 64 bytes
   * @param random the source of the ephemeral key and C2
   * @throws IllegalArgumentException if the route or encryptionKey is out of range
   */
  public static ClientHandshake start(SecureKey secureKey, String route, int encryptionKey, SecureRandom random) {
    return new ClientHandshake(secureKey, route, encryptionKey, random);
  }

  /** PROTOCOL.md §6.1: builds msg1 (and draws the session id, §7.1). */
  public byte[] message1() {
    expect(Step.NEW);
    ePrivate = new byte[KEY];
    random.nextBytes(ePrivate);
    sid = new byte[Handshake.SID];
    random.nextBytes(sid);
    byte[] ePublic = X25519.fromPrivate(ePrivate).publicKey();
    byte[] prologue = Handshake.prologue(suite, secureKey.keyId(), 0, contribution, route);
    state = Handshake.newState(suite);
    byte[] tag = Handshake.msg1State(state, suite, prologue, secureKey.psk(), ePublic);
    byte[] msg1 = new byte[Handshake.MSG1_HEADER + KEY + tag.length];
    msg1[0] = Handshake.VERSION;
    msg1[1] = Handshake.MSG1;
    System.arraycopy(prologue, 1, msg1, 2, 4);  // suite, keyId, flags, A
    System.arraycopy(ePublic, 0, msg1, 6, KEY);
    System.arraycopy(tag, 0, msg1, 6 + KEY, tag.length);
    step = Step.SENT1;
    return msg1;
  }

  /**
   * The session id this handshake proposes (PROTOCOL.md §7.1), as the {@code Parley-Session} header
   * shows it: base64url without padding. Available once {@link #message1()} was built.
   */
  public String sessionIdText() {
    if (sid == null || step == Step.NEW || step == Step.DONE) {
      throw new IllegalStateException("the session id exists between message1() and finish()");
    }
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(sid);
  }

  /**
   * PROTOCOL.md §6.2 (check) and §6.4 (build): takes msg2, returns msg3. A forcing client treats
   * any answer to msg1 that is not a valid msg2 as an error (PROTOCOL.md §9): that is this
   * exception.
   *
   * @throws CryptoException if msg2 is rejected; the handshake is over
   */
  public byte[] message3(byte[] msg2) throws CryptoException {
    expect(Step.SENT1);
    Objects.requireNonNull(msg2, "msg2 == null");
    SecretKey k3 = null;
    byte[] ck2 = null;
    byte[] c2 = new byte[contribution];
    byte[] p3 = null;
    try {
      int tokenLength = msg2.length >= Handshake.MSG2_FIXED ? (msg2[51] & 0xff) << 8 | (msg2[52] & 0xff) : -1;
      if (msg2.length < Handshake.MSG2_FIXED || msg2[0] != Handshake.VERSION || msg2[1] != Handshake.MSG2
          || tokenLength < 1 || tokenLength > Handshake.MAX_TOKEN || msg2.length != Handshake.MSG2_FIXED + tokenLength) {
        throw rejected(Reason.MALFORMED);
      }
      byte[] eS = Arrays.copyOfRange(msg2, 2, 2 + KEY);
      Handshake.mixServerEphemeral(state, suite, eS);
      byte[] dh = agree(ePrivate, eS);
      state.mixKey(dh);
      zero(dh, ePrivate);
      byte[] flags;
      try {
        flags = state.decryptAndHash(Arrays.copyOfRange(msg2, 34, 51));
      } catch (AEADBadTagException e) {
        throw rejected(Reason.AUTHENTICATION);
      }
      if (flags[0] != 0) {
        throw rejected(Reason.MALFORMED);
      }
      ck2 = state.chainingKey();
      byte[] h2 = state.handshakeHash();
      state.destroy();

      // PROTOCOL.md §6.4
      byte[] msg3 = new byte[Handshake.MSG3_FIXED + tokenLength + contribution];
      msg3[0] = Handshake.VERSION;
      msg3[1] = Handshake.MSG3;
      msg3[2] = (byte) (tokenLength >>> 8);
      msg3[3] = (byte) tokenLength;
      System.arraycopy(msg2, Handshake.MSG2_FIXED, msg3, 4, tokenLength);
      random.nextBytes(c2);
      p3 = Handshake.concat(new byte[] {(byte) contribution}, sid, c2);  // B ‖ sid ‖ C2
      k3 = Handshake.msg3Key(ck2);
      byte[] ad = Handshake.concat(h2, Arrays.copyOf(msg3, 4 + tokenLength));
      byte[] c3 = Handshake.seal(k3, new byte[12], ad, p3);
      System.arraycopy(c3, 0, msg3, 4 + tokenLength, c3.length);

      h3 = Hkdf.sha256(h2, msg3);
      ck3 = Hkdf.extract(ck2, c2);
      step = Step.SENT3;
      return msg3;
    } catch (CryptoException e) {
      end();
      throw e;
    } finally {
      zero(ck2, c2, p3);
      if (k3 != null) {
        Handshake.destroy(k3);
      }
    }
  }

  /**
   * PROTOCOL.md §6.5 (check) and §7.2: takes msg4, returns the session keys with the session's
   * owner (the server instance's id and its session reject key).
   *
   * @throws CryptoException if msg4 is rejected; the handshake is over
   */
  public SessionKeys finish(byte[] msg4) throws CryptoException {
    expect(Step.SENT3);
    Objects.requireNonNull(msg4, "msg4 == null");
    SecretKey k4 = null;
    byte[] p4 = null;
    byte[] ck4 = null;
    byte[] rejectKey = null;
    try {
      int sLength = msg4.length - Handshake.MSG4_FIXED;
      if (msg4.length < 2 || msg4[0] != Handshake.VERSION || msg4[1] != Handshake.MSG4
          || sLength < contribution || sLength > Handshake.MAX_CONTRIBUTION) {
        throw rejected(Reason.MALFORMED);
      }
      k4 = Handshake.msg4Key(ck3);
      byte[] nonce = Arrays.copyOfRange(msg4, 2, 14);
      byte[] ad = Handshake.concat(h3, Arrays.copyOf(msg4, 14));
      p4 = Handshake.open(k4, nonce, ad, msg4, 14, msg4.length - 14);
      if ((p4[0] & 0xff) != sLength) {
        throw rejected(Reason.MALFORMED);
      }
      int at = 1 + sLength;
      byte[] echoedSid = Arrays.copyOfRange(p4, at, at + Handshake.SID);
      if (!MessageDigest.isEqual(echoedSid, sid)) {
        throw rejected(Reason.AUTHENTICATION);
      }
      at += Handshake.SID;
      byte[] instanceId = Arrays.copyOfRange(p4, at, at + Handshake.INSTANCE_ID);
      rejectKey = Arrays.copyOfRange(p4, at + Handshake.INSTANCE_ID, p4.length);
      byte[] s2 = Arrays.copyOfRange(p4, 1, 1 + sLength);
      byte[] h4 = Hkdf.sha256(h3, msg4);
      ck4 = Hkdf.extract(ck3, s2);
      zero(s2);
      step = Step.DONE;
      return Handshake.sessionKeys(sid, ck4, h4, rejectKey, instanceId);
    } finally {
      zero(p4, ck4, rejectKey);
      if (k4 != null) {
        Handshake.destroy(k4);
      }
      end();
    }
  }

  private static byte[] agree(byte[] ownPrivate, byte[] peerPublic) throws CryptoException {
    try {
      return X25519.agree(ownPrivate, peerPublic);
    } catch (InvalidKeyException e) {  // all-zero result: low-order point (PROTOCOL.md §6.6)
      throw rejected(Reason.AUTHENTICATION);
    }
  }

  private void expect(Step expected) {
    if (step != expected) {
      throw new IllegalStateException("handshake step out of order: expected " + expected + ", at " + step
          + " (a handshake is used once; start a new one after a rejection)");
    }
  }

  /**
   * Abandons the handshake (for example when the transport failed) and zeroes its secrets; every
   * later step throws {@link IllegalStateException}. Harmless after the handshake ended.
   */
  public void destroy() {
    end();
  }

  /** Zeroes every secret; the instance is unusable afterwards. */
  private void end() {
    if (state != null) {
      state.destroy();
    }
    zero(ePrivate, ck3, h3, sid);
    step = Step.DONE;
  }

  /** Shows the step only. */
  @Override
  public String toString() {
    return "ClientHandshake[" + step + "]";
  }
}
