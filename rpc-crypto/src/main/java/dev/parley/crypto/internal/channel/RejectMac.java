package dev.parley.crypto.internal.channel;

import dev.parley.crypto.CryptoException;
import dev.parley.crypto.CryptoException.Reason;
import dev.parley.crypto.internal.Hkdf;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * The unknown-session reject, the body of an HTTP 410 (PROTOCOL.md §13):
 * {@code prefix ‖ MAC_1 ‖ … ‖ MAC_n} with {@code prefix = 0x07 ‖ sid(16) ‖ u64 ctr ‖ u8 n},
 * 1 ≤ n ≤ 4, one MAC per reject key the server holds, {@code MAC_i = HMAC-SHA256(rejectKey_i,
 * "parley v1 reject" ‖ prefix ‖ requestTag)}, where requestTag is the request frame's last 16
 * bytes. Every MAC covers the whole prefix, so the body's length cannot change unnoticed.
 */
public final class RejectMac {
  /** The MAC's domain label. */
  static final byte[] LABEL = "parley v1 reject".getBytes(StandardCharsets.US_ASCII);
  /** type ‖ sid ‖ ctr ‖ n. */
  public static final int PREFIX_LENGTH = 1 + FrameFormat.SID_LENGTH + 8 + 1;
  /** HMAC-SHA256 length. */
  public static final int MAC_LENGTH = Hkdf.HASH_LENGTH;
  /** The most MACs one reject carries (keys overlapping during SecureKey rotation). */
  public static final int MAX_KEYS = 4;

  private RejectMac() {}

  /** Builds the reject body for a request the server holds no session for. */
  public static byte[] seal(byte[] sid, long ctr, byte[] requestTag, byte[]... rejectKeys) {
    check(sid, requestTag);
    if (rejectKeys.length < 1 || rejectKeys.length > MAX_KEYS) {
      throw new IllegalArgumentException("give 1.." + MAX_KEYS + " reject keys, got " + rejectKeys.length);
    }
    byte[] prefix = prefix(sid, ctr, rejectKeys.length);
    ByteBuffer body = ByteBuffer.allocate(PREFIX_LENGTH + MAC_LENGTH * rejectKeys.length).put(prefix);
    for (byte[] key : rejectKeys) {
      Objects.requireNonNull(key, "reject key == null");
      body.put(Hkdf.hmac(key, LABEL, prefix, requestTag));
    }
    return body.array();
  }

  /** Builds the reject body for a request frame: its sid, counter and last 16 bytes. */
  public static byte[] sealForRequest(byte[] requestFrame, byte[]... rejectKeys) throws CryptoException {
    if (requestFrame.length < FrameFormat.REQUEST_HEADER_LENGTH + FrameFormat.TAG_LENGTH
        || requestFrame[0] != FrameFormat.TYPE_REQUEST) {
      throw new CryptoException(Reason.MALFORMED, "frame rejected");
    }
    ByteBuffer b = ByteBuffer.wrap(requestFrame);
    byte[] sid = new byte[FrameFormat.SID_LENGTH];
    b.position(5);
    b.get(sid);
    long ctr = b.getLong();
    byte[] tag = Arrays.copyOfRange(requestFrame, requestFrame.length - FrameFormat.TAG_LENGTH, requestFrame.length);
    return seal(sid, ctr, tag, rejectKeys);
  }

  /**
   * True if {@code body} is a reject of exactly this request (sid, counter, tag) carrying a MAC that
   * verifies under {@code rejectKey}. Every MAC is compared, with {@link MessageDigest#isEqual}.
   */
  public static boolean verify(byte[] rejectKey, byte[] body, byte[] sid, long ctr, byte[] requestTag) {
    check(sid, requestTag);
    Objects.requireNonNull(rejectKey, "rejectKey == null");
    if (body == null || body.length < PREFIX_LENGTH) {
      return false;
    }
    int n = body[PREFIX_LENGTH - 1] & 0xFF;
    if (n < 1 || n > MAX_KEYS || body.length != PREFIX_LENGTH + n * MAC_LENGTH) {
      return false;
    }
    byte[] prefix = prefix(sid, ctr, n);
    boolean ok = MessageDigest.isEqual(prefix, Arrays.copyOfRange(body, 0, PREFIX_LENGTH));
    byte[] expected = Hkdf.hmac(rejectKey, LABEL, prefix, requestTag);
    boolean anyMac = false;
    for (int at = PREFIX_LENGTH; at < body.length; at += MAC_LENGTH) {
      anyMac |= MessageDigest.isEqual(expected, Arrays.copyOfRange(body, at, at + MAC_LENGTH));
    }
    return ok & anyMac;
  }

  private static byte[] prefix(byte[] sid, long ctr, int macs) {
    return ByteBuffer.allocate(PREFIX_LENGTH).put(FrameFormat.TYPE_REJECT).put(sid).putLong(ctr).put((byte) macs).array();
  }

  private static void check(byte[] sid, byte[] requestTag) {
    Objects.requireNonNull(sid, "sid == null");
    Objects.requireNonNull(requestTag, "requestTag == null");
    if (sid.length != FrameFormat.SID_LENGTH || requestTag.length != FrameFormat.TAG_LENGTH) {
      throw new IllegalArgumentException("sid must be 16 bytes and requestTag 16 bytes");
    }
  }
}
