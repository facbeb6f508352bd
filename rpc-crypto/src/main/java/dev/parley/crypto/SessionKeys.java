package dev.parley.crypto;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * The result of a completed handshake and the input of {@link SecureChannel}: the session id, one
 * AES-256-GCM key and 12-byte IV per direction, and the session's owner: the id of the server
 * instance that holds it and the session reject key that instance derived for it (PROTOCOL.md §6.5,
 * §13).
 *
 * <p>Arrays are copied in and out, so a caller may zero its own copies. {@link #destroy()} zeroes
 * the held copies. {@link #toString()} shows only the session id.
 *
 * <pre>{@code
 * SessionKeys keys = clientHandshake.finish(msg4);
 * SecureChannel channel = SecureChannel.client(keys);
 * keys.destroy();   // the channel keeps what it needs
 * }</pre>
 */
public final class SessionKeys {
  /** Length of the session id in bytes. */
  public static final int SESSION_ID_LENGTH = 16;
  /** Length of every key in bytes. */
  public static final int KEY_LENGTH = 32;
  /** Length of every IV in bytes. */
  public static final int IV_LENGTH = 12;

  private final byte[] sessionId;
  private final byte[] c2sKey;
  private final byte[] c2sIv;
  private final byte[] s2cKey;
  private final byte[] s2cIv;
  private final byte[] rejectKey;
  private final byte[] instanceId;

  /**
   * @param sessionId16 the 16-byte session id the client chose (PROTOCOL.md §7.1)
   * @param c2sKey32 client-to-server traffic key, 32 bytes
   * @param c2sIv12 client-to-server IV, 12 bytes
   * @param s2cKey32 server-to-client traffic key, 32 bytes
   * @param s2cIv12 server-to-client IV, 12 bytes
   * @param rejectKey32 the session reject key: the key of the unknown-session reject MAC, 32 bytes
   * @param instanceId16 the id of the server instance that holds the session, 16 bytes
   * @throws IllegalArgumentException if a length is wrong
   */
  public SessionKeys(byte[] sessionId16, byte[] c2sKey32, byte[] c2sIv12, byte[] s2cKey32,
      byte[] s2cIv12, byte[] rejectKey32, byte[] instanceId16) {
    this.sessionId = copy(sessionId16, SESSION_ID_LENGTH, "sessionId16");
    this.c2sKey = copy(c2sKey32, KEY_LENGTH, "c2sKey32");
    this.c2sIv = copy(c2sIv12, IV_LENGTH, "c2sIv12");
    this.s2cKey = copy(s2cKey32, KEY_LENGTH, "s2cKey32");
    this.s2cIv = copy(s2cIv12, IV_LENGTH, "s2cIv12");
    this.rejectKey = copy(rejectKey32, KEY_LENGTH, "rejectKey32");
    this.instanceId = copy(instanceId16, ServerInstance.ID_LENGTH, "instanceId16");
  }

  private static byte[] copy(byte[] value, int length, String name) {
    Objects.requireNonNull(value, name + " == null");
    if (value.length != length) {
      throw new IllegalArgumentException(name + " must be " + length + " bytes, got " + value.length);
    }
    return value.clone();
  }

  /** A copy of the 16-byte session id. */
  public byte[] sessionId() {
    return sessionId.clone();
  }

  /** The session id as shown in the {@code Parley-Session} header: base64url, no padding. */
  public String sessionIdText() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(sessionId);
  }

  /** A copy of the client-to-server traffic key. */
  public byte[] c2sKey() {
    return c2sKey.clone();
  }

  /** A copy of the client-to-server IV. */
  public byte[] c2sIv() {
    return c2sIv.clone();
  }

  /** A copy of the server-to-client traffic key. */
  public byte[] s2cKey() {
    return s2cKey.clone();
  }

  /** A copy of the server-to-client IV. */
  public byte[] s2cIv() {
    return s2cIv.clone();
  }

  /** A copy of the session reject key (PROTOCOL.md §6.5, §13). */
  public byte[] rejectKey() {
    return rejectKey.clone();
  }

  /** A copy of the id of the server instance that holds the session (not secret). */
  public byte[] instanceId() {
    return instanceId.clone();
  }

  /** Overwrites every held key, IV and the session id with zeros. Getters then return zeros. */
  public void destroy() {
    Arrays.fill(sessionId, (byte) 0);
    Arrays.fill(c2sKey, (byte) 0);
    Arrays.fill(c2sIv, (byte) 0);
    Arrays.fill(s2cKey, (byte) 0);
    Arrays.fill(s2cIv, (byte) 0);
    Arrays.fill(rejectKey, (byte) 0);
  }

  /** Shows the session id only, never a key. */
  @Override
  public String toString() {
    return "SessionKeys{sessionId=" + sessionIdText() + "}";
  }
}
