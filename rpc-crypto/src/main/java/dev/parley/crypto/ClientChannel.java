package dev.parley.crypto;

import dev.parley.crypto.CryptoException.Reason;
import dev.parley.crypto.internal.channel.EpochKey;
import dev.parley.crypto.internal.channel.FrameFormat;
import dev.parley.crypto.internal.channel.FrameOpener;
import dev.parley.crypto.internal.channel.FrameSealer;
import dev.parley.crypto.internal.channel.Limits;
import dev.parley.crypto.internal.channel.NonceObserver;
import dev.parley.crypto.internal.channel.RejectMac;
import dev.parley.crypto.internal.channel.SendDirection;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * The client's side of one session's data frames (PROTOCOL.md §10–§13): it seals requests, opens
 * the response to each, and checks what an HTTP 410 proves. The frame header, the HTTP method, the
 * module route and (for a response) the HTTP status are bound into every chunk's associated data
 * (§10.4); a response carries its request's counter, and is opened only as the answer to that
 * request. The client keeps no replay window (§10.5).
 *
 * <p>Thread-safe: many threads may seal and open on one channel at once; it holds no
 * {@code Cipher} (AES-GCM keeps one per thread). When a counter or epoch limit or the maximum age
 * is reached, sealing throws {@link CryptoException} with {@link Reason#LIMIT}: run a new
 * handshake. {@link #destroy()} zeroes the keys.
 *
 * <pre>{@code
 * ClientChannel channel = ClientChannel.create(keys, ClientChannel.DEFAULT_MAX_AGE, Clock.systemUTC());
 * ClientChannel.Sealed request = channel.sealRequest("POST", "/calc", plaintext);
 * byte[] answer = post(request.frame());                            // the HTTP exchange, status 200
 * Plaintext p = channel.openResponseInPlace(answer, 0, answer.length, request.counter(), 200, "POST", "/calc");
 * }</pre>
 */
public final class ClientChannel extends SessionChannel {
  /** The maximum session age of PROTOCOL.md §12.4 when nothing else is configured: 24 hours. */
  public static final Duration DEFAULT_MAX_AGE = ChannelCore.DEFAULT_MAX_AGE;

  private final byte[] rejectKey;
  private final byte[] instanceId;

  private ClientChannel(SessionKeys keys, Duration maxAge, Clock clock, Limits limits, NonceObserver observer) {
    super(new ChannelCore(true, keys, maxAge, clock, limits, observer));
    this.rejectKey = keys.rejectKey();
    this.instanceId = keys.instanceId();
  }

  /**
   * The client side of the session {@code keys} describe; it refuses to seal once {@code maxAge}
   * has passed on {@code clock} (PROTOCOL.md §12.4). The keys are copied: destroy {@code keys}
   * afterwards.
   *
   * @throws IllegalArgumentException if {@code maxAge} is not positive
   */
  public static ClientChannel create(SessionKeys keys, Duration maxAge, Clock clock) {
    return new ClientChannel(keys, maxAge, clock, Limits.DEFAULT, NonceObserver.NONE);
  }

  /** For tests: small limits instead of 2^24 frames, and a hook that sees every nonce. */
  static ClientChannel create(SessionKeys keys, Duration maxAge, Clock clock, Limits limits, NonceObserver observer) {
    return new ClientChannel(keys, maxAge, clock, limits, observer);
  }

  /** A copy of the 16-byte session id. */
  public byte[] sessionId() {
    return core.sessionId.clone();
  }

  /** A copy of the id of the server instance that holds this session (PROTOCOL.md §6.5). */
  public byte[] instanceId() {
    return instanceId.clone();
  }

  /**
   * Seals a request body, usually a sealed plaintext of PROTOCOL.md §15.4 (§10.1–§10.4).
   *
   * @return the request's counter (the response names it) and frame
   * @throws CryptoException {@link Reason#LIMIT} if the session must re-handshake first,
   *     {@link Reason#EXPIRED} once destroyed
   * @throws IllegalArgumentException if the method or route is longer than 65535 UTF-8 bytes
   */
  public Sealed sealRequest(String method, String route, byte[] body) throws CryptoException {
    Objects.requireNonNull(body, "body == null");
    SendDirection.Reservation r = core.reserve();
    byte[] header = FrameFormat.header(FrameFormat.TYPE_REQUEST, r.epoch().number(), core.sessionId, r.counter(), 0);
    byte[] ad = FrameFormat.associatedData(header, header.length, method, route, -1);
    return new Sealed(r.counter(), FrameSealer.sealAll(core.send, r, header, ad, body));
  }

  /**
   * Opens the response frame {@code frame[offset, offset + length)} in place (PROTOCOL.md §10.5,
   * client): it must be a response frame of this session that answers the request with counter
   * {@code requestCounter}, sealed with the {@code status}, {@code method} and {@code route} this
   * HTTP exchange showed. Each chunk is decrypted where it lies and the plaintext is gathered at
   * {@code frame[offset + 37]} (right after the header); the returned view points into
   * {@code frame}.
   *
   * <p>After a failure the content of {@code frame[offset, offset + length)} is undefined (the
   * body region is zeroed once decryption has begun): never read it as plaintext, and keep a copy
   * if the frame is still needed.
   *
   * @return the plaintext, a view into {@code frame}
   * @throws CryptoException if the frame is malformed, tampered with, or answers another request
   * @throws IndexOutOfBoundsException if {@code offset}/{@code length} lie outside {@code frame}
   * @throws IllegalArgumentException if {@code status} is not 100..999
   */
  public Plaintext openResponseInPlace(byte[] frame, int offset, int length, long requestCounter, int status,
      String method, String route) throws CryptoException {
    Objects.requireNonNull(frame, "frame == null");
    Objects.checkFromIndexSize(offset, length, frame.length);
    FrameFormat.Header h = FrameFormat.parse(frame, offset, length,
        FrameFormat.RESPONSE_HEADER_LENGTH + FrameFormat.TAG_LENGTH, FrameFormat.TYPE_RESPONSE, core.sessionId,
        core.limits);
    if (h.reqCtr() != requestCounter) {
      throw FrameFormat.rejected(Reason.AUTHENTICATION);
    }
    EpochKey key = core.keyFor(h.epoch());
    byte[] ad = FrameFormat.associatedData(frame, offset, FrameFormat.RESPONSE_HEADER_LENGTH, method, route,
        FrameFormat.checkStatus(status));
    int n = FrameOpener.openInPlace(core.receive, key, h.ctr(), ad, frame, offset, length,
        FrameFormat.RESPONSE_HEADER_LENGTH, () -> core.receive.accepted(key));
    return new Plaintext(h.ctr(), frame, offset + FrameFormat.RESPONSE_HEADER_LENGTH, n);
  }

  /**
   * Checks an HTTP 410 body against the request with this counter and tag (its frame's last 16
   * bytes, {@link Sealed#tag()}), sent to {@code route} (PROTOCOL.md §13.3). {@link
   * RejectCheck#VERIFIED} means the server instance that holds this session (and no other) says it
   * holds no session for the request, so it did not run it; whether that is still news is for the
   * caller to judge by how long ago the request was sealed (§13.3, the reject horizon). Anything
   * else proves nothing. The MAC is compared in constant time.
   */
  public RejectCheck checkReject(byte[] body, long requestCounter, byte[] requestTag, String route) {
    Objects.requireNonNull(route, "route == null");
    return switch (RejectMac.verify(rejectKey, instanceId, body, core.sessionId, requestCounter,
        route.getBytes(StandardCharsets.UTF_8), requestTag)) {
      case VERIFIED -> RejectCheck.VERIFIED;
      case OTHER_INSTANCE -> RejectCheck.OTHER_INSTANCE;
      case INVALID -> RejectCheck.INVALID;
    };
  }

  /** Zeroes every key; sealing and opening fail afterwards. Idempotent. */
  public void destroy() {
    core.destroy();
    Arrays.fill(rejectKey, (byte) 0);
  }

  /** What an HTTP 410 body proves to the client (see {@link #checkReject}). */
  public enum RejectCheck {
    /** The session's own server instance made it, for this request and route: the call did not run. */
    VERIFIED,
    /** A reject of this request by another server instance (a replica, a restarted process): proves nothing. */
    OTHER_INSTANCE,
    /** Not an authentic reject of this request: proves nothing. */
    INVALID
  }

  /**
   * A sealed request: its counter (the response names it) and the frame, the whole HTTP body.
   *
   * <pre>{@code
   * ClientChannel.Sealed s = channel.sealRequest("POST", "/calc", plaintext);
   * send(s.frame());                       // keep s.counter() and s.tag() for the answer
   * }</pre>
   *
   * @param counter the request counter
   * @param frame the whole frame
   */
  public record Sealed(long counter, byte[] frame) {
    /** A copy of the frame's last 16 bytes: the request tag an unknown-session reject names (§13.1). */
    public byte[] tag() {
      return Arrays.copyOfRange(frame, frame.length - FrameFormat.TAG_LENGTH, frame.length);
    }
  }
}
