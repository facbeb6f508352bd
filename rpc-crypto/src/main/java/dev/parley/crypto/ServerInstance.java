package dev.parley.crypto;

import dev.parley.crypto.internal.Hkdf;
import dev.parley.crypto.internal.channel.RejectMac;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The identity of one running server module: who may say "I did not run it" about a session
 * (PROTOCOL.md §13, §14). An instance has a public 16-byte id and a 32-byte secret, both random,
 * drawn when the module starts and never written anywhere; a restarted process, a replica with the
 * same SecureKey and a sibling module are other instances.
 *
 * <p>For every session it creates, the instance derives a session reject key from its secret and
 * the session id, and gives it to the client inside msg4 (PROTOCOL.md §6.5) together with its id.
 * Later, without holding any state for the session, it can answer a request frame for a session it
 * does not hold with a reject that only it could have made and that names the route it was sent to;
 * the client accepts no other (see {@link ClientChannel#checkReject}).
 *
 * <pre>{@code
 * ServerInstance instance = ServerInstance.random();
 * HandshakeResponder responder = HandshakeResponder.builder("/calc").secureKey(key).instance(instance).build();
 * ...
 * if (sessions.get(frameSid) == null) {
 *   respond(410, instance.reject(frame, "/calc"));
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #toString()} shows the id only.
 */
public final class ServerInstance {
  /** Length of the public instance id. */
  public static final int ID_LENGTH = RejectMac.INSTANCE_ID_LENGTH;
  /** Length of the reject, in bytes (PROTOCOL.md §13). */
  public static final int REJECT_LENGTH = RejectMac.LENGTH;
  private static final int SECRET_LENGTH = 32;
  private static final byte[] SESSION_REJECT_LABEL = "parley v1 session reject key".getBytes(StandardCharsets.US_ASCII);

  private final byte[] id;
  private final byte[] secret;

  private ServerInstance(byte[] id, byte[] secret) {
    this.id = id;
    this.secret = secret;
  }

  /** A new instance with a random id and secret from a new {@link SecureRandom}. */
  public static ServerInstance random() {
    return random(new SecureRandom());
  }

  /** A new instance with a random id and secret drawn from {@code random} (id first). */
  public static ServerInstance random(SecureRandom random) {
    Objects.requireNonNull(random, "random == null");
    byte[] id = new byte[ID_LENGTH];
    byte[] secret = new byte[SECRET_LENGTH];
    random.nextBytes(id);
    random.nextBytes(secret);
    return new ServerInstance(id, secret);
  }

  /** TEST HOOK (golden vectors): an instance with a given id (16 bytes) and secret (32 bytes). */
  static ServerInstance of(byte[] id, byte[] secret) {
    if (id.length != ID_LENGTH || secret.length != SECRET_LENGTH) {
      throw new IllegalArgumentException("id must be 16 bytes and secret 32");
    }
    return new ServerInstance(id.clone(), secret.clone());
  }

  /** A copy of the public 16-byte instance id. */
  public byte[] id() {
    return id.clone();
  }

  /** The instance id in lowercase hex, for logs. */
  public String idText() {
    return HexFormat.of().formatHex(id);
  }

  /** PROTOCOL.md §6.5: the session reject key of {@code sid}, Expand(secret, label ‖ sid, 32). */
  byte[] sessionRejectKey(byte[] sid) {
    return Hkdf.expand(secret, Handshake.concat(SESSION_REJECT_LABEL, sid), Handshake.KEY);
  }

  /**
   * The reject (PROTOCOL.md §13) of a request frame sent to {@code route}, for a session this
   * instance does not hold: its sid, counter and last 16 bytes.
   *
   * @throws CryptoException {@link CryptoException.Reason#MALFORMED} if {@code frame} is no request frame
   */
  public byte[] reject(byte[] frame, String route) throws CryptoException {
    Objects.requireNonNull(frame, "frame == null");
    HttpBinding.RequestFrame header = HttpBinding.peekRequest(frame, frame.length);
    if (header == null) {
      throw new CryptoException(CryptoException.Reason.MALFORMED, "frame rejected");
    }
    return reject(header.sessionId(), header.counter(), header.tag(), route);
  }

  /** The same from a request's session id, counter and tag (for example after opening it in place). */
  public byte[] reject(byte[] sessionId, long counter, byte[] requestTag, String route) {
    byte[] key = sessionRejectKey(Objects.requireNonNull(sessionId, "sessionId == null"));
    try {
      return RejectMac.seal(key, sessionId, counter, id, route.getBytes(StandardCharsets.UTF_8), requestTag);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** Zeroes the secret; rejects made afterwards verify nowhere. */
  public void destroy() {
    Arrays.fill(secret, (byte) 0);
  }

  /** Shows the public id only. */
  @Override
  public String toString() {
    return "ServerInstance[" + idText() + "]";
  }
}
