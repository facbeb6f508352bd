package dev.parley.crypto.internal.channel;

import dev.parley.crypto.internal.Hkdf;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * The unknown-session reject, the body of an HTTP 410 (PROTOCOL.md §13):
 * {@code prefix ‖ MAC} with {@code prefix = 0x07 ‖ sid(16) ‖ u64 ctr ‖ instanceId(16)} and
 * {@code MAC = HMAC-SHA256(sessionRejectKey, "parley v1 reject" ‖ prefix ‖ u16 |route| ‖ route ‖
 * requestTag)}, where requestTag is the request frame's last 16 bytes and sessionRejectKey is the
 * key the session's server instance derived for this session id and gave the client in msg4.
 */
public final class RejectMac {
  /** The MAC's domain label. */
  static final byte[] LABEL = "parley v1 reject".getBytes(StandardCharsets.US_ASCII);
  /** Length of a server instance id. */
  public static final int INSTANCE_ID_LENGTH = 16;
  /** type ‖ sid ‖ ctr ‖ instanceId. */
  public static final int PREFIX_LENGTH = 1 + FrameFormat.SID_LENGTH + 8 + INSTANCE_ID_LENGTH;
  /** HMAC-SHA256 length. */
  public static final int MAC_LENGTH = Hkdf.HASH_LENGTH;
  /** The whole reject. */
  public static final int LENGTH = PREFIX_LENGTH + MAC_LENGTH;

  /** What a client learns from a 410 body (PROTOCOL.md §13, client rules). */
  public enum Check {
    /** The session's own server instance says it holds no session for this request: it did not run. */
    VERIFIED,
    /** A well-formed reject for this request, but from another server instance: it proves nothing. */
    OTHER_INSTANCE,
    /** Not a reject of this request under this session's key: it proves nothing. */
    INVALID
  }

  private RejectMac() {}

  /** Builds the reject of the request {@code (sid, ctr, requestTag)} sent to {@code route}. */
  public static byte[] seal(byte[] sessionRejectKey, byte[] sid, long ctr, byte[] instanceId, byte[] route,
      byte[] requestTag) {
    check(sid, instanceId, requestTag);
    Objects.requireNonNull(sessionRejectKey, "sessionRejectKey == null");
    byte[] prefix = prefix(sid, ctr, instanceId);
    return ByteBuffer.allocate(LENGTH).put(prefix)
        .put(Hkdf.hmac(sessionRejectKey, LABEL, prefix, routeField(route), requestTag)).array();
  }

  /**
   * Checks {@code body} against the request {@code (sid, ctr, requestTag)} this client sent to
   * {@code route} on the session whose owner is {@code ownerId}. The MAC is compared with
   * {@link MessageDigest#isEqual}.
   */
  public static Check verify(byte[] sessionRejectKey, byte[] ownerId, byte[] body, byte[] sid, long ctr,
      byte[] route, byte[] requestTag) {
    check(sid, ownerId, requestTag);
    Objects.requireNonNull(sessionRejectKey, "sessionRejectKey == null");
    if (body == null || body.length != LENGTH) {
      return Check.INVALID;
    }
    byte[] expectedHead = prefix(sid, ctr, ownerId);
    int head = PREFIX_LENGTH - INSTANCE_ID_LENGTH;
    if (!Arrays.equals(expectedHead, 0, head, body, 0, head)) {
      return Check.INVALID;   // another request's reject, or not a reject: public fields
    }
    if (!Arrays.equals(expectedHead, head, PREFIX_LENGTH, body, head, PREFIX_LENGTH)) {
      return Check.OTHER_INSTANCE;   // the instance id is public; its MAC cannot be checked here
    }
    byte[] expected = Hkdf.hmac(sessionRejectKey, LABEL, expectedHead, routeField(route), requestTag);
    return MessageDigest.isEqual(expected, Arrays.copyOfRange(body, PREFIX_LENGTH, LENGTH)) ? Check.VERIFIED : Check.INVALID;
  }

  private static byte[] prefix(byte[] sid, long ctr, byte[] instanceId) {
    return ByteBuffer.allocate(PREFIX_LENGTH).put(FrameFormat.TYPE_REJECT).put(sid).putLong(ctr).put(instanceId).array();
  }

  /** u16 |route| ‖ route (PROTOCOL.md §13, as in the associated data of §10.4). */
  private static byte[] routeField(byte[] route) {
    Objects.requireNonNull(route, "route == null");
    if (route.length > FrameFormat.MAX_AD_STRING) {
      throw new IllegalArgumentException("route longer than " + FrameFormat.MAX_AD_STRING + " bytes");
    }
    return ByteBuffer.allocate(2 + route.length).putShort((short) route.length).put(route).array();
  }

  private static void check(byte[] sid, byte[] instanceId, byte[] requestTag) {
    Objects.requireNonNull(sid, "sid == null");
    Objects.requireNonNull(instanceId, "instanceId == null");
    Objects.requireNonNull(requestTag, "requestTag == null");
    if (sid.length != FrameFormat.SID_LENGTH || instanceId.length != INSTANCE_ID_LENGTH
        || requestTag.length != FrameFormat.TAG_LENGTH) {
      throw new IllegalArgumentException("sid, instanceId and requestTag must be 16 bytes each");
    }
  }
}
