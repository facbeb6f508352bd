package dev.parley.crypto;

import dev.parley.crypto.CryptoException.Reason;
import dev.parley.crypto.internal.ReplayWindow;
import dev.parley.crypto.internal.channel.EpochKey;
import dev.parley.crypto.internal.channel.FrameFormat;
import dev.parley.crypto.internal.channel.FrameOpener;
import dev.parley.crypto.internal.channel.FrameSealer;
import dev.parley.crypto.internal.channel.Limits;
import dev.parley.crypto.internal.channel.NonceObserver;
import dev.parley.crypto.internal.channel.ReceiveDirection;
import dev.parley.crypto.internal.channel.RejectMac;
import dev.parley.crypto.internal.channel.SendDirection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One session's data frames (PROTOCOL.md §10–§13): the client seals requests and opens responses, the
 * server opens requests (with the replay window) and seals responses. Bodies are sealed in chunks
 * of at most 64 KiB; the frame header, HTTP method, module route and (for a response) the HTTP
 * status are bound into every chunk's associated data, and a response carries its request's
 * counter.
 *
 * <p>Thread-safe: many threads may seal and open on one channel at once. A channel holds no
 * {@code Cipher} (AES-GCM keeps one per thread). When a counter or epoch limit or the maximum age
 * is reached, sealing throws {@link CryptoException} with {@link Reason#LIMIT}: run a new
 * handshake. {@link #destroy()} zeroes the keys.
 *
 * <pre>{@code
 * // client
 * SecureChannel ch = SecureChannel.client(keys);
 * SecureChannel.Sealed req = ch.sealRequest("POST", "/calc", json);
 * byte[] answer = ch.openResponse(responseBody, req.counter(), 200, "POST", "/calc");
 *
 * // server
 * SecureChannel sc = SecureChannel.server(keys);
 * SecureChannel.Opened in = sc.openRequest(requestBody, "POST", "/calc");
 * byte[] out = sc.sealResponse(in.counter(), 200, "POST", "/calc", result);
 * }</pre>
 *
 * <p>Allocation-free forms for large bodies: {@link #sealRequestInto} and {@link #sealResponseInto}
 * seal into a caller's buffer sized with {@link #sealedLength(int)}, {@link #sealResponseInPlace}
 * seals a response inside the array that holds its body (when it has that much room), and
 * {@link #openRequestInPlace} and {@link #openResponseInPlace} decrypt a frame inside its own array
 * and return a {@link Plaintext} view. They produce and accept exactly the same frames as the array
 * forms.
 *
 * <pre>{@code
 * byte[] buf = new byte[sc.sealedLength(result.length)];      // or a pooled buffer
 * SecureChannel.SealedSlice out = sc.sealResponseInto(in.counter(), 200, "POST", "/calc",
 *     result, 0, result.length, buf, 0);                     // frame = buf[0, out.length())
 *
 * SecureChannel.Plaintext p = sc.openRequestInPlace(received, 0, receivedLength, "POST", "/calc");
 * handle(p.array(), p.offset(), p.length());                 // plaintext inside 'received'
 * }</pre>
 */
public final class SecureChannel {
  /** Maximum session age used by the short factories. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(24);

  private final boolean client;
  private final byte[] sessionId;
  private final byte[] rejectKey;
  private final byte[] instanceId;
  private final SendDirection send;
  private final ReceiveDirection receive;
  private final ReplayWindow window;
  private final Limits limits;
  private final Clock clock;
  private final Instant notAfter;
  private volatile boolean destroyed;

  private SecureChannel(boolean client, SessionKeys keys, Duration maxAge, Clock clock, Limits limits,
      NonceObserver observer) {
    Objects.requireNonNull(keys, "keys == null");
    Objects.requireNonNull(maxAge, "maxAge == null");
    Objects.requireNonNull(clock, "clock == null");
    if (maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("maxAge must be positive, was " + maxAge);
    }
    this.client = client;
    this.sessionId = keys.sessionId();
    this.rejectKey = keys.rejectKey();
    this.instanceId = keys.instanceId();
    this.limits = limits;
    this.clock = clock;
    this.notAfter = clock.instant().plus(maxAge);
    byte[] c2sKey = keys.c2sKey();
    byte[] c2sIv = keys.c2sIv();
    byte[] s2cKey = keys.s2cKey();
    byte[] s2cIv = keys.s2cIv();
    try {
      if (client) {
        this.send = new SendDirection("c2s", c2sKey, c2sIv, limits, observer);
        this.receive = new ReceiveDirection(s2cKey, s2cIv, limits);
        this.window = null;
      } else {
        this.send = new SendDirection("s2c", s2cKey, s2cIv, limits, observer);
        this.receive = new ReceiveDirection(c2sKey, c2sIv, limits);
        this.window = new ReplayWindow(limits.replayWindow());
      }
    } finally {
      Arrays.fill(c2sKey, (byte) 0);
      Arrays.fill(s2cKey, (byte) 0);
    }
  }

  /** The client side of a session, with {@link #DEFAULT_MAX_AGE} and the system clock. */
  public static SecureChannel client(SessionKeys keys) {
    return client(keys, DEFAULT_MAX_AGE, Clock.systemUTC());
  }

  /** The client side of a session that refuses to seal once {@code maxAge} has passed on {@code clock}. */
  public static SecureChannel client(SessionKeys keys, Duration maxAge, Clock clock) {
    return new SecureChannel(true, keys, maxAge, clock, Limits.DEFAULT, NonceObserver.NONE);
  }

  /** The server side of a session, with {@link #DEFAULT_MAX_AGE} and the system clock. */
  public static SecureChannel server(SessionKeys keys) {
    return server(keys, DEFAULT_MAX_AGE, Clock.systemUTC());
  }

  /** The server side of a session that refuses to seal once {@code maxAge} has passed on {@code clock}. */
  public static SecureChannel server(SessionKeys keys, Duration maxAge, Clock clock) {
    return new SecureChannel(false, keys, maxAge, clock, Limits.DEFAULT, NonceObserver.NONE);
  }

  /** For tests: small limits instead of 2^24 frames, and a hook that sees every nonce. */
  static SecureChannel create(boolean client, SessionKeys keys, Duration maxAge, Clock clock, Limits limits,
      NonceObserver observer) {
    return new SecureChannel(client, keys, maxAge, clock, limits, observer);
  }

  /** A copy of the 16-byte session id. */
  public byte[] sessionId() {
    return sessionId.clone();
  }

  /**
   * The length of the frame this side seals around a body of {@code bodyLength} bytes: a request
   * frame on the client, a response frame on the server. It is the header, the body and a 16-byte
   * tag per chunk of at most 64 KiB (PROTOCOL.md §10.1–§10.2). Size the buffer given to
   * {@link #sealRequestInto} or {@link #sealResponseInto} with it.
   *
   * @throws IllegalArgumentException if {@code bodyLength} is negative or the frame would not fit
   *     in one array (use the streaming form)
   */
  public int sealedLength(int bodyLength) {
    return frameLength(client ? FrameFormat.TYPE_REQUEST : FrameFormat.TYPE_RESPONSE, bodyLength);
  }

  // ---------------------------------------------------------------- client side

  /**
   * Seals a request body (PROTOCOL.md §10.1–§10.4).
   *
   * @throws CryptoException {@link Reason#LIMIT} if the session must re-handshake first
   */
  public Sealed sealRequest(String method, String route, byte[] body) throws CryptoException {
    requireSide(true, "sealRequest");
    Objects.requireNonNull(body, "body == null");
    SendDirection.Reservation r = reserve();
    byte[] header = FrameFormat.header(FrameFormat.TYPE_REQUEST, r.epoch().number(), sessionId, r.counter(), 0);
    byte[] ad = FrameFormat.associatedData(header, header.length, method, route, -1);
    return new Sealed(r.counter(), FrameSealer.sealAll(send, r, header, ad, body));
  }

  /**
   * Seals the request body {@code body[offset, offset + length)} into {@code out} at
   * {@code outOffset} without allocating a body-sized array (PROTOCOL.md §10.1–§10.4): the frame is
   * {@code out[outOffset, outOffset + sealedLength(length))}, byte for byte what
   * {@link #sealRequest(String, String, byte[])} would produce with the same counter. The body and
   * the output range must not overlap. Bad arguments are refused before a counter is taken.
   *
   * <pre>{@code
   * byte[] buf = new byte[ch.sealedLength(json.length)];
   * SecureChannel.SealedSlice req = ch.sealRequestInto("POST", "/calc", json, 0, json.length, buf, 0);
   * send(buf, req.offset(), req.length());          // keep req.counter() and req.tag()
   * }</pre>
   *
   * @return the counter, where the frame is, and its tag
   * @throws IllegalArgumentException if {@code out} has fewer than {@code sealedLength(length)}
   *     bytes from {@code outOffset}, or the body overlaps the output
   * @throws IndexOutOfBoundsException if {@code offset}/{@code length} or {@code outOffset} lie
   *     outside their arrays
   * @throws CryptoException {@link Reason#LIMIT} if the session must re-handshake first
   */
  public SealedSlice sealRequestInto(String method, String route, byte[] body, int offset, int length, byte[] out,
      int outOffset) throws CryptoException {
    requireSide(true, "sealRequestInto");
    int frameLength = checkInto(FrameFormat.TYPE_REQUEST, body, offset, length, out, outOffset);
    SendDirection.Reservation r = reserve();
    byte[] header = FrameFormat.header(FrameFormat.TYPE_REQUEST, r.epoch().number(), sessionId, r.counter(), 0);
    byte[] ad = FrameFormat.associatedData(header, header.length, method, route, -1);
    FrameSealer.sealInto(send, r, header, ad, body, offset, length, out, outOffset);
    return SealedSlice.of(r.counter(), out, outOffset, frameLength);
  }

  /**
   * Starts sealing a request into {@code sink}: the header is written now, the body as it is
   * written to the returned stream, one chunk at a time; {@link SealingStream#finish()} or
   * {@code close()} seals the last chunk. {@link SealingStream#counter()} is the request counter
   * to pass to {@link #openResponse}.
   */
  public SealingStream sealRequest(String method, String route, OutputStream sink) throws CryptoException, IOException {
    requireSide(true, "sealRequest");
    Objects.requireNonNull(sink, "sink == null");
    SendDirection.Reservation r = reserve();
    byte[] header = FrameFormat.header(FrameFormat.TYPE_REQUEST, r.epoch().number(), sessionId, r.counter(), 0);
    byte[] ad = FrameFormat.associatedData(header, header.length, method, route, -1);
    return new FrameSealer(send, r, header, ad, sink);
  }

  /**
   * Opens the response to the request with counter {@code requestCounter}; {@code status},
   * {@code method} and {@code route} are what the HTTP exchange showed.
   *
   * @throws CryptoException if the frame is malformed, tampered with, or answers another request
   */
  public byte[] openResponse(byte[] frame, long requestCounter, int status, String method, String route)
      throws CryptoException {
    requireSide(true, "openResponse");
    Objects.requireNonNull(frame, "frame == null");
    FrameFormat.Header h = FrameFormat.parse(frame, FrameFormat.RESPONSE_HEADER_LENGTH + FrameFormat.TAG_LENGTH,
        FrameFormat.TYPE_RESPONSE, sessionId, limits);
    EpochKey key = checkResponse(h, requestCounter);
    byte[] ad = FrameFormat.associatedData(frame, FrameFormat.RESPONSE_HEADER_LENGTH, method, route,
        FrameFormat.checkStatus(status));
    return FrameOpener.openAll(receive, key, h.ctr(), ad, frame, FrameFormat.RESPONSE_HEADER_LENGTH,
        () -> receive.accepted(key));
  }

  /**
   * Opens the response frame {@code frame[offset, offset + length)} in place, as
   * {@link #openResponse(byte[], long, int, String, String)} does with the same checks, but without
   * allocating: each chunk is decrypted where it lies and the plaintext is gathered at
   * {@code frame[offset + 37]} (right after the header). The returned view points into
   * {@code frame}.
   *
   * <p>After a failure the content of {@code frame[offset, offset + length)} is undefined (the
   * implementation zeroes the body region once decryption has begun): never read it as plaintext,
   * and keep a copy if the frame is still needed.
   *
   * @return the plaintext, a view into {@code frame}
   * @throws CryptoException if the frame is malformed, tampered with, or answers another request
   * @throws IndexOutOfBoundsException if {@code offset}/{@code length} lie outside {@code frame}
   */
  public Plaintext openResponseInPlace(byte[] frame, int offset, int length, long requestCounter, int status,
      String method, String route) throws CryptoException {
    requireSide(true, "openResponseInPlace");
    Objects.requireNonNull(frame, "frame == null");
    Objects.checkFromIndexSize(offset, length, frame.length);
    FrameFormat.Header h = FrameFormat.parse(frame, offset, length,
        FrameFormat.RESPONSE_HEADER_LENGTH + FrameFormat.TAG_LENGTH, FrameFormat.TYPE_RESPONSE, sessionId, limits);
    EpochKey key = checkResponse(h, requestCounter);
    byte[] ad = FrameFormat.associatedData(frame, offset, FrameFormat.RESPONSE_HEADER_LENGTH, method, route,
        FrameFormat.checkStatus(status));
    int n = FrameOpener.openInPlace(receive, key, h.ctr(), ad, frame, offset, length,
        FrameFormat.RESPONSE_HEADER_LENGTH, () -> receive.accepted(key));
    return new Plaintext(h.ctr(), frame, offset + FrameFormat.RESPONSE_HEADER_LENGTH, n);
  }

  /**
   * Opens a response chunk by chunk. The header is read and checked now; the returned stream
   * releases each chunk's plaintext after its tag verified, and throws an {@link IOException}
   * whose cause is a {@link CryptoException} if a chunk fails or the frame ends early or late.
   */
  public OpeningStream openResponse(InputStream frame, long requestCounter, int status, String method, String route)
      throws CryptoException, IOException {
    requireSide(true, "openResponse");
    byte[] header = readHeader(frame, FrameFormat.RESPONSE_HEADER_LENGTH);
    FrameFormat.Header h = FrameFormat.parse(header, FrameFormat.TYPE_RESPONSE, sessionId, limits);
    EpochKey key = checkResponse(h, requestCounter);
    byte[] ad = FrameFormat.associatedData(header, header.length, method, route, FrameFormat.checkStatus(status));
    return new FrameOpener(receive, key, h.ctr(), ad, frame, () -> receive.accepted(key));
  }

  /**
   * Checks an HTTP 410 body against the request with this counter and tag, sent to {@code route}
   * (PROTOCOL.md §13). {@link RejectCheck#VERIFIED} means the server instance that holds this
   * session (and no other) says it holds no session for the request, so it did not run it; whether
   * that is still news is for the caller to judge by how long ago the request was sealed
   * (§13, the reject horizon). Anything else proves nothing.
   */
  public RejectCheck checkReject(byte[] body, long requestCounter, byte[] requestTag, String route) {
    requireSide(true, "checkReject");
    Objects.requireNonNull(route, "route == null");
    return switch (RejectMac.verify(rejectKey, instanceId, body, sessionId, requestCounter,
        route.getBytes(java.nio.charset.StandardCharsets.UTF_8), requestTag)) {
      case VERIFIED -> RejectCheck.VERIFIED;
      case OTHER_INSTANCE -> RejectCheck.OTHER_INSTANCE;
      case INVALID -> RejectCheck.INVALID;
    };
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

  /** A copy of the id of the server instance that holds this session (PROTOCOL.md §6.5). */
  public byte[] instanceId() {
    return instanceId.clone();
  }

  private EpochKey checkResponse(FrameFormat.Header h, long requestCounter) throws CryptoException {
    if (h.reqCtr() != requestCounter) {
      throw FrameFormat.rejected(Reason.AUTHENTICATION);
    }
    return keyFor(h);
  }

  // ---------------------------------------------------------------- server side

  /**
   * Opens a request: replay check, then every chunk, then the replay mark (PROTOCOL.md §11).
   *
   * @throws CryptoException if the frame is malformed, tampered with, or a replay
   */
  public Opened openRequest(byte[] frame, String method, String route) throws CryptoException {
    requireSide(false, "openRequest");
    Objects.requireNonNull(frame, "frame == null");
    FrameFormat.Header h = FrameFormat.parse(frame, FrameFormat.REQUEST_HEADER_LENGTH + FrameFormat.TAG_LENGTH,
        FrameFormat.TYPE_REQUEST, sessionId, limits);
    EpochKey key = checkRequest(h);
    byte[] ad = FrameFormat.associatedData(frame, FrameFormat.REQUEST_HEADER_LENGTH, method, route, -1);
    byte[] body = FrameOpener.openAll(receive, key, h.ctr(), ad, frame, FrameFormat.REQUEST_HEADER_LENGTH,
        () -> markAccepted(h.ctr(), key));
    return new Opened(h.ctr(), body);
  }

  /**
   * Opens the request frame {@code frame[offset, offset + length)} in place, with exactly the
   * checks of {@link #openRequest(byte[], String, String)} (replay check, every chunk, then the
   * replay mark; PROTOCOL.md §10.5, §11), but without allocating: each chunk is decrypted where it
   * lies and the plaintext is gathered at {@code frame[offset + 29]} (right after the header). The
   * returned view points into {@code frame}.
   *
   * <p>After a failure the content of {@code frame[offset, offset + length)} is undefined (the
   * implementation zeroes the body region once decryption has begun), and the counter is not
   * marked: never read the buffer as plaintext, and keep a copy if the frame is still needed.
   *
   * <pre>{@code
   * SecureChannel.Plaintext p = sc.openRequestInPlace(buf, 0, n, "POST", "/calc");
   * Object call = json.readValue(p.array(), p.offset(), p.length(), Call.class);
   * }</pre>
   *
   * @return the request counter and the plaintext, a view into {@code frame}
   * @throws CryptoException if the frame is malformed, tampered with, or a replay
   * @throws IndexOutOfBoundsException if {@code offset}/{@code length} lie outside {@code frame}
   */
  public Plaintext openRequestInPlace(byte[] frame, int offset, int length, String method, String route)
      throws CryptoException {
    requireSide(false, "openRequestInPlace");
    Objects.requireNonNull(frame, "frame == null");
    Objects.checkFromIndexSize(offset, length, frame.length);
    FrameFormat.Header h = FrameFormat.parse(frame, offset, length,
        FrameFormat.REQUEST_HEADER_LENGTH + FrameFormat.TAG_LENGTH, FrameFormat.TYPE_REQUEST, sessionId, limits);
    EpochKey key = checkRequest(h);
    byte[] ad = FrameFormat.associatedData(frame, offset, FrameFormat.REQUEST_HEADER_LENGTH, method, route, -1);
    int n = FrameOpener.openInPlace(receive, key, h.ctr(), ad, frame, offset, length,
        FrameFormat.REQUEST_HEADER_LENGTH, () -> markAccepted(h.ctr(), key));
    return new Plaintext(h.ctr(), frame, offset + FrameFormat.REQUEST_HEADER_LENGTH, n);
  }

  /**
   * Opens a request chunk by chunk. The header is read and checked (including the replay check)
   * now. The replay mark happens when the last chunk verified, so read the stream to its end
   * before acting on the request: a replay or a cut frame fails there with an {@link IOException}
   * whose cause is a {@link CryptoException}.
   */
  public OpeningStream openRequest(InputStream frame, String method, String route) throws CryptoException, IOException {
    requireSide(false, "openRequest");
    byte[] header = readHeader(frame, FrameFormat.REQUEST_HEADER_LENGTH);
    FrameFormat.Header h = FrameFormat.parse(header, FrameFormat.TYPE_REQUEST, sessionId, limits);
    EpochKey key = checkRequest(h);
    byte[] ad = FrameFormat.associatedData(header, header.length, method, route, -1);
    return new FrameOpener(receive, key, h.ctr(), ad, frame, () -> markAccepted(h.ctr(), key));
  }

  /** Seals the response to the request with counter {@code requestCounter}. */
  public byte[] sealResponse(long requestCounter, int status, String method, String route, byte[] body)
      throws CryptoException {
    requireSide(false, "sealResponse");
    Objects.requireNonNull(body, "body == null");
    SendDirection.Reservation r = reserve();
    byte[] header = responseHeader(r, requestCounter);
    byte[] ad = FrameFormat.associatedData(header, header.length, method, route, FrameFormat.checkStatus(status));
    return FrameSealer.sealAll(send, r, header, ad, body);
  }

  /**
   * Seals the response body {@code body[offset, offset + length)} to the request with counter
   * {@code requestCounter} into {@code out} at {@code outOffset}, without allocating a body-sized
   * array: the frame is {@code out[outOffset, outOffset + sealedLength(length))}, byte for byte what
   * {@link #sealResponse(long, int, String, String, byte[])} would produce with the same counter.
   * The body and the output range must not overlap. Bad arguments are refused before a counter is
   * taken.
   *
   * @return the response frame's counter, where the frame is, and its tag
   * @throws IllegalArgumentException if {@code out} has fewer than {@code sealedLength(length)}
   *     bytes from {@code outOffset}, the body overlaps the output, or the status or request
   *     counter is out of range
   * @throws IndexOutOfBoundsException if {@code offset}/{@code length} or {@code outOffset} lie
   *     outside their arrays
   * @throws CryptoException {@link Reason#LIMIT} if the session must re-handshake first
   */
  public SealedSlice sealResponseInto(long requestCounter, int status, String method, String route, byte[] body,
      int offset, int length, byte[] out, int outOffset) throws CryptoException {
    requireSide(false, "sealResponseInto");
    int frameLength = checkInto(FrameFormat.TYPE_RESPONSE, body, offset, length, out, outOffset);
    FrameFormat.checkStatus(status);
    checkRequestCounter(requestCounter);
    SendDirection.Reservation r = reserve();
    byte[] header = responseHeader(r, requestCounter);
    byte[] ad = FrameFormat.associatedData(header, header.length, method, route, status);
    FrameSealer.sealInto(send, r, header, ad, body, offset, length, out, outOffset);
    return SealedSlice.of(r.counter(), out, outOffset, frameLength);
  }

  /**
   * Seals the response body {@code array[0, length)} to the request with counter
   * {@code requestCounter} in place: afterwards {@code array[0, sealedLength(length))} is the
   * frame, byte for byte what {@link #sealResponseInto} would write with the same counter. For a
   * large answer already in a buffer with room to spare (a growable buffer usually has), this
   * spares the body-sized frame array. Bad arguments are refused before a counter is taken.
   *
   * @return the response frame's counter, where the frame is (offset 0), and its tag
   * @throws IllegalArgumentException if {@code array} is shorter than {@code sealedLength(length)},
   *     or the status or request counter is out of range
   * @throws IndexOutOfBoundsException if {@code length} is negative or beyond the array
   * @throws CryptoException {@link Reason#LIMIT} if the session must re-handshake first
   */
  public SealedSlice sealResponseInPlace(long requestCounter, int status, String method, String route, byte[] array,
      int length) throws CryptoException {
    requireSide(false, "sealResponseInPlace");
    Objects.requireNonNull(array, "array == null");
    Objects.checkFromIndexSize(0, length, array.length);
    int frameLength = frameLength(FrameFormat.TYPE_RESPONSE, length);
    if (array.length < frameLength) {
      throw new IllegalArgumentException("array has " + array.length + " bytes but the frame needs " + frameLength
          + "; size it with sealedLength(" + length + ")");
    }
    FrameFormat.checkStatus(status);
    checkRequestCounter(requestCounter);
    SendDirection.Reservation r = reserve();
    byte[] header = responseHeader(r, requestCounter);
    byte[] ad = FrameFormat.associatedData(header, header.length, method, route, status);
    FrameSealer.sealInPlace(send, r, header, ad, array, length);
    return SealedSlice.of(r.counter(), array, 0, frameLength);
  }

  /** Starts sealing a response into {@code sink}, chunk by chunk (see {@link #sealRequest(String, String, OutputStream)}). */
  public SealingStream sealResponse(long requestCounter, int status, String method, String route, OutputStream sink)
      throws CryptoException, IOException {
    requireSide(false, "sealResponse");
    Objects.requireNonNull(sink, "sink == null");
    SendDirection.Reservation r = reserve();
    byte[] header = responseHeader(r, requestCounter);
    byte[] ad = FrameFormat.associatedData(header, header.length, method, route, FrameFormat.checkStatus(status));
    return new FrameSealer(send, r, header, ad, sink);
  }

  /**
   * Stops this server-side channel from accepting requests: every request frame not yet marked
   * fails from now on (it is never run), while answers of calls already accepted can still be
   * sealed. Returns the record of what the session accepted, which a server keeps after dropping the
   * session to answer later copies of its frames truthfully (PROTOCOL.md §13). Idempotent.
   */
  public Retired retire() {
    requireSide(false, "retire");
    window.close();
    return new Retired(window);
  }

  /** What a retired session accepted (see {@link #retire()}); holds no key. Thread-safe. */
  public static final class Retired {
    private final ReplayWindow window;

    private Retired(ReplayWindow window) {
      this.window = window;
    }

    /**
     * True when the request with this counter was never accepted and never will be: the session
     * provably did not run it (PROTOCOL.md §13). False when it was accepted, or is too old to tell.
     */
    public boolean neverAccepted(long counter) {
      return window.check(counter);
    }
  }

  /**
   * The clear header of a request frame (PROTOCOL.md §10.1), read without any key: where to look
   * the session up and what a reject must name. Null when {@code frame[0, length)} is not at least a
   * request header and one tag with type {@code 0x05} (PROTOCOL.md §10.5 step 1).
   */
  public static RequestHeader peekRequest(byte[] frame, int length) {
    Objects.requireNonNull(frame, "frame == null");
    Objects.checkFromIndexSize(0, length, frame.length);
    if (length < FrameFormat.REQUEST_HEADER_LENGTH + FrameFormat.TAG_LENGTH || frame[0] != FrameFormat.TYPE_REQUEST) {
      return null;
    }
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(frame, 1, FrameFormat.REQUEST_HEADER_LENGTH - 1);
    int epoch = b.getInt();
    byte[] sid = new byte[FrameFormat.SID_LENGTH];
    b.get(sid);
    return new RequestHeader(epoch, sid, b.getLong());
  }

  /** The clear fields of a request frame's header; none is authenticated until the frame opens. */
  public record RequestHeader(int epoch, byte[] sessionId, long counter) {
    /** The session id as the {@code Parley-Session} header shows it (base64url, no padding). */
    public String sessionIdText() {
      return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(sessionId);
    }
  }

  private EpochKey checkRequest(FrameFormat.Header h) throws CryptoException {
    if (!window.check(h.ctr())) {
      throw FrameFormat.rejected(Reason.REPLAY);
    }
    return keyFor(h);
  }

  private void markAccepted(long ctr, EpochKey key) throws CryptoException {
    if (!window.markIfNew(ctr)) {
      throw FrameFormat.rejected(Reason.REPLAY);
    }
    receive.accepted(key);
  }

  private byte[] responseHeader(SendDirection.Reservation r, long requestCounter) {
    checkRequestCounter(requestCounter);
    return FrameFormat.header(FrameFormat.TYPE_RESPONSE, r.epoch().number(), sessionId, r.counter(), requestCounter);
  }

  private void checkRequestCounter(long requestCounter) {
    if (requestCounter < 0 || requestCounter >= limits.maxFrames()) {
      throw new IllegalArgumentException("requestCounter out of range: " + requestCounter);
    }
  }

  // ---------------------------------------------------------------- common

  /** header ‖ body ‖ one tag per chunk (PROTOCOL.md §10.2), if it fits in one array. */
  private static int frameLength(byte type, int bodyLength) {
    if (bodyLength < 0) {
      throw new IllegalArgumentException("bodyLength must not be negative, was " + bodyLength);
    }
    long total = FrameFormat.headerLength(type) + (long) bodyLength
        + FrameFormat.chunkCount(bodyLength) * FrameFormat.TAG_LENGTH;
    if (total > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("body too large for one array; use the streaming form");
    }
    return (int) total;
  }

  /** Checks the arguments of the seal-into forms before a counter is taken; returns the frame length. */
  private static int checkInto(byte type, byte[] body, int offset, int length, byte[] out, int outOffset) {
    Objects.requireNonNull(body, "body == null");
    Objects.requireNonNull(out, "out == null");
    Objects.checkFromIndexSize(offset, length, body.length);
    int frameLength = frameLength(type, length);
    if (outOffset < 0 || outOffset > out.length) {
      throw new IndexOutOfBoundsException("outOffset " + outOffset + " is outside out[0, " + out.length + "]");
    }
    if (out.length - outOffset < frameLength) {
      throw new IllegalArgumentException("out has " + (out.length - outOffset) + " bytes from outOffset "
          + outOffset + " but the frame needs " + frameLength + "; size it with sealedLength(" + length + ")");
    }
    if (body == out && length > 0 && offset < outOffset + frameLength && outOffset < offset + length) {
      throw new IllegalArgumentException("body and out overlap; seal from a separate array or range");
    }
    return frameLength;
  }

  private SendDirection.Reservation reserve() throws CryptoException {
    if (destroyed) {
      throw new CryptoException(Reason.EXPIRED, "session closed, re-handshake");
    }
    if (!clock.instant().isBefore(notAfter)) {
      throw new CryptoException(Reason.LIMIT, "session too old, re-handshake");
    }
    return send.reserve();
  }

  private EpochKey keyFor(FrameFormat.Header h) throws CryptoException {
    if (destroyed) {
      throw new CryptoException(Reason.EXPIRED, "frame rejected");
    }
    return receive.keyFor(h.epoch());
  }

  private void requireSide(boolean clientSide, String what) {
    if (client != clientSide) {
      throw new IllegalStateException(what + " is for the " + (clientSide ? "client" : "server")
          + " side; this channel is the " + (client ? "client's" : "server's"));
    }
  }

  private static byte[] readHeader(InputStream in, int length) throws IOException, CryptoException {
    Objects.requireNonNull(in, "frame == null");
    byte[] header = in.readNBytes(length);
    if (header.length != length) {
      throw FrameFormat.rejected(Reason.MALFORMED);
    }
    return header;
  }

  /** The current epoch of the sending direction (tests, diagnostics). */
  int sendEpoch() {
    return send.epochNumber();
  }

  /** The current epoch of the receiving direction (tests, diagnostics). */
  int receiveEpoch() {
    return receive.epochNumber();
  }

  /** Zeroes every key; sealing and opening fail afterwards. Idempotent. */
  public void destroy() {
    destroyed = true;
    send.destroy();
    receive.destroy();
    Arrays.fill(rejectKey, (byte) 0);
  }

  /** Shows the side only, never a key. */
  @Override
  public String toString() {
    return "SecureChannel{" + (client ? "client" : "server") + (destroyed ? ", destroyed}" : "}");
  }

  /**
   * A sealed request: its counter (match the response with it) and the frame bytes.
   *
   * @param counter the request counter
   * @param frame the whole frame, the HTTP body
   */
  public record Sealed(long counter, byte[] frame) {
    /** The frame's last 16 bytes, the request tag an unknown-session reject refers to. */
    public byte[] tag() {
      return Arrays.copyOfRange(frame, frame.length - FrameFormat.TAG_LENGTH, frame.length);
    }
  }

  /**
   * A frame sealed into a caller's buffer: the frame is {@code array[offset, offset + length)}.
   *
   * <pre>{@code
   * SecureChannel.SealedSlice s = ch.sealRequestInto("POST", "/calc", body, 0, body.length, buf, 0);
   * http.send(s.array(), s.offset(), s.length());
   * }</pre>
   *
   * @param counter the frame's counter (for a request: match the response with it)
   * @param array the caller's buffer
   * @param offset where the frame starts
   * @param length the frame length
   * @param tag the frame's last 16 bytes, copied when it was sealed (the request tag an
   *     unknown-session reject refers to), so it stays valid after the buffer is reused
   */
  public record SealedSlice(long counter, byte[] array, int offset, int length, byte[] tag) {
    static SealedSlice of(long counter, byte[] array, int offset, int length) {
      int end = offset + length;
      return new SealedSlice(counter, array, offset, length,
          Arrays.copyOfRange(array, end - FrameFormat.TAG_LENGTH, end));
    }

    /** A copy of the frame's last 16 bytes, as sealed. */
    @Override
    public byte[] tag() {
      return tag.clone();
    }
  }

  /**
   * A frame opened in place: the plaintext is {@code array[offset, offset + length)}, inside the
   * caller's frame array.
   *
   * <pre>{@code
   * SecureChannel.Plaintext p = sc.openRequestInPlace(buf, 0, n, "POST", "/calc");
   * byte[] copy = p.toByteArray();       // only if a separate array is needed
   * }</pre>
   *
   * @param counter the frame's counter (for a request: pass it to {@link #sealResponse})
   * @param array the caller's frame array
   * @param offset where the plaintext starts
   * @param length the plaintext length
   */
  public record Plaintext(long counter, byte[] array, int offset, int length) {
    /** A copy of the plaintext. */
    public byte[] toByteArray() {
      return Arrays.copyOfRange(array, offset, offset + length);
    }
  }

  /**
   * An opened request.
   *
   * @param counter the request counter (pass it to {@link #sealResponse})
   * @param body the plaintext
   */
  public record Opened(long counter, byte[] body) {}

  /**
   * Plaintext written here is sealed chunk by chunk into the sink given when it was created.
   * {@link #finish()} seals the last chunk and leaves the sink open; {@link #close()} finishes
   * and closes the sink.
   */
  public abstract static class SealingStream extends OutputStream {
    /** For the implementation only. */
    protected SealingStream() {}

    /** This frame's counter. */
    public abstract long counter();

    /** The frame's last 16 bytes (the request tag of a reject), once finished. */
    public abstract byte[] tag();

    /** Seals the last chunk; further writes fail. Idempotent. */
    public abstract void finish() throws IOException;
  }

  /**
   * The plaintext of a frame, released one chunk at a time after each chunk's tag verified. A
   * rejection surfaces as an {@link IOException} whose cause is a {@link CryptoException}; the
   * frame counts as accepted only once a read returned -1.
   */
  public abstract static class OpeningStream extends InputStream {
    /** For the implementation only. */
    protected OpeningStream() {}

    /** The frame's counter (for a request: pass it to {@link SecureChannel#sealResponse}). */
    public abstract long counter();
  }
}
