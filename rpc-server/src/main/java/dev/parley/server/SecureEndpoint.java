package dev.parley.server;

import dev.parley.Compression;
import dev.parley.crypto.CryptoException;
import dev.parley.crypto.HandshakeResponder;
import dev.parley.crypto.HttpBinding;
import dev.parley.crypto.Plaintext;
import dev.parley.crypto.SecureKey;
import dev.parley.crypto.ServerChannel;
import dev.parley.crypto.ServerInstance;
import dev.parley.crypto.SessionKeys;
import dev.parley.internal.jsonrpc.RequestBody;
import dev.parley.internal.jsonrpc.ResponseBuffer;
import dev.parley.internal.jsonrpc.ServerRequestReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The encrypted side of a module (PROTOCOL.md §15): handshake messages and sealed calls on the
 * module's own path. One thread-safe {@link HandshakeResponder} per module, and one
 * {@link ServerInstance}: the identity that owns this module's sessions and alone may answer for
 * them when they are gone (§13). Encrypted sessions live in the module's {@link SessionStore} next
 * to plain ones. Sealed calls run through the same {@link PlainDispatcher} as plain calls, with the
 * encrypted session injected.
 */
final class SecureEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(SecureEndpoint.class);

  static final String HANDSHAKE_TYPE = HttpBinding.HANDSHAKE_TYPE;
  static final String SEALED_TYPE = HttpBinding.SEALED_TYPE;
  static final String REJECT_TYPE = HttpBinding.REJECT_TYPE;
  /** PROTOCOL.md §15.3: the same text for every rejected handshake message. */
  static final String HANDSHAKE_REJECTED = "handshake rejected";
  /** PROTOCOL.md §15.3: the same text for every rejected frame of a known session. */
  static final String FRAME_REJECTED = "frame rejected";
  static final String ENCRYPTION_REQUIRED = "encryption required";
  static final String NOT_ENCRYPTING = "this module does not encrypt; send plain JSON-RPC with Content-Type: application/json";

  /** A handshake message is at most msg3 with a 1024-byte token and a 64-byte contribution. */
  static final int MAX_HANDSHAKE_BYTES = HttpBinding.MAX_HANDSHAKE_LENGTH;
  private static final byte[] NO_BYTES = new byte[0];
  private static final String METHOD = "POST";

  private final String route;
  private final long maxBodyBytes;
  private final int deflaterLevel;
  private final SessionStore sessions;
  private final PlainDispatcher dispatcher;
  private final Answers answers;
  private final BooleanSupplier draining;
  private final ServerInstance instance = ServerInstance.random();
  private final HandshakeResponder responder;
  private final Clock clock;
  private final Duration maxAge;
  private final long maxFrameBytes;
  private final ServerEvents events;
  private final RequestScope.Settings scopes;

  /**
   * @param route the module's configured route, bound into every frame (PROTOCOL.md §5, §10.4)
   * @param draining true once the module stops gracefully (§15.7)
   * @param events told of every handshake and every refused message or frame
   */
  SecureEndpoint(String route, List<SecureKey> keys, int encryptionKey, Clock clock, Duration maxAge,
      long maxBodyBytes, Compression compression, SessionStore sessions, PlainDispatcher dispatcher, Answers answers,
      BooleanSupplier draining, RequestScope.Settings scopes, ServerEvents events) {
    this.route = route;
    this.scopes = scopes;
    this.events = events;
    this.maxBodyBytes = maxBodyBytes;
    this.deflaterLevel = compression.deflaterLevel();
    this.sessions = sessions;
    this.dispatcher = dispatcher;
    this.answers = answers;
    this.draining = draining;
    HandshakeResponder.Builder builder = HandshakeResponder.builder(route).encryptionKey(encryptionKey).clock(clock)
        .instance(instance);
    keys.forEach(builder::secureKey);
    this.responder = builder.build();
    this.clock = clock;
    this.maxAge = maxAge;
    // maxBodyBytes bounds the JSON; the plaintext adds the flag byte (PROTOCOL.md §15.4), the frame
    // its header and a tag per chunk (§10.2).
    this.maxFrameBytes = HttpBinding.maxRequestFrame(maxBodyBytes + 1);
  }

  /** The server instance that owns this module's sessions (PROTOCOL.md §6.5, §13). */
  ServerInstance instance() {
    return instance;
  }

  /** The key ids of the SecureKeys that new handshakes may use (PROTOCOL.md §3.3). */
  List<Integer> keyIds() {
    return responder.keyIds();
  }

  /** Swaps the SecureKeys for new handshakes; live sessions keep their keys (see HandshakeResponder.replaceKeys). */
  void replaceKeys(List<SecureKey> keys) {
    responder.replaceKeys(keys);
  }

  /** The largest sealed request frame accepted, in bytes (maxBodyBytes of plaintext, sealed). */
  long maxFrameBytes() {
    return maxFrameBytes;
  }

  // ------------------------------------------------------------------------------- handshake

  /** PROTOCOL.md §15.2: msg1 → msg2, msg3 → msg4 and a new session; anything rejected → 403. */
  void handshake(Request request, Response response, Callback callback) {
    if (request.getLength() > MAX_HANDSHAKE_BYTES) {
      events.handshakeRejected(Rejection.TOO_LARGE);
      Answers.httpError(response, callback, HttpStatus.FORBIDDEN_403, HANDSHAKE_REJECTED, true);
      return;
    }
    byte[] message;
    try (InputStream in = new BoundedInputStream(Content.Source.asInputStream(request), MAX_HANDSHAKE_BYTES)) {
      message = readBody(in, request.getLength());
    } catch (BoundedInputStream.TooLarge e) {
      events.handshakeRejected(Rejection.TOO_LARGE);
      Answers.httpError(response, callback, HttpStatus.FORBIDDEN_403, HANDSHAKE_REJECTED, true);
      return;
    } catch (IOException e) {
      answers.readFailed(response, callback, e);
      return;
    }
    try {
      if (message.length >= 2 && message[1] == 0x01) {
        byte[] msg2 = responder.answerMessage1(message);                    // PROTOCOL.md §6.6 msg1
        answers.sendBytes(response, callback, HttpStatus.OK_200, HANDSHAKE_TYPE, msg2);
        return;
      }
      if (message.length >= 2 && message[1] == 0x03) {
        HandshakeResponder.Accepted accepted = responder.acceptMessage3(message);  // PROTOCOL.md §6.6 msg3
        SessionKeys sessionKeys = accepted.sessionKeys();
        String sid = sessionKeys.sessionIdText();
        ServerChannel channel = ServerChannel.create(sessionKeys, maxAge, clock);
        sessionKeys.destroy();
        // PROTOCOL.md §6.6: a replayed msg3 names the same sid; only the first creates a session,
        // and an id that is live or retired is not given out again (§7.1).
        ServerSession session = sessions.createEncrypted(sid, channel);
        if (session == null) {
          channel.destroy();
          LOG.debug("handshake on {} rejected: msg3 for a session id in use (replay)", route);
          events.handshakeRejected(Rejection.REPLAYED);
          Answers.httpError(response, callback, HttpStatus.FORBIDDEN_403, HANDSHAKE_REJECTED, false);
          return;
        }
        events.handshakeCompleted();
        response.getHeaders().put(ServerModule.SESSION_HEADER, sid);
        answers.sendBytes(response, callback, HttpStatus.OK_200, HANDSHAKE_TYPE, accepted.message4());
        return;
      }
      LOG.debug("handshake on {} rejected: not msg1 or msg3", route);
      events.handshakeRejected(Rejection.MALFORMED);
    } catch (CryptoException e) {
      LOG.debug("handshake on {} rejected: {}", route, e.reason());
      events.handshakeRejected(Rejection.of(e.reason()));
    }
    Answers.httpError(response, callback, HttpStatus.FORBIDDEN_403, HANDSHAKE_REJECTED, false);
  }

  // ------------------------------------------------------------------------------- sealed calls

  /** PROTOCOL.md §15.3: a sealed call; see docs/SERVER.md "Encryption" for each answer. */
  void sealedCall(Request request, Response response, Callback callback) {
    if (request.getLength() > maxFrameBytes) {
      events.frameRejected(Rejection.TOO_LARGE);
      answers.tooLarge(response, callback);
      return;
    }
    // The whole frame is read before anything else: bodies are bounded by maxBodyBytes, the
    // unknown-session reject needs the frame's last 16 bytes, and nothing may run before the last
    // chunk verified (docs/SERVER.md explains why byte[] and not the streaming API). A non-blocking
    // module has it in memory already, in an array of its own that is opened in place (at most
    // maxFrameBytes long: that is the module's collect limit for an encrypting module).
    byte[] frame = CollectedBody.takeWhole(request);
    if (frame == null) {
      try (InputStream in = new BoundedInputStream(Content.Source.asInputStream(request), maxFrameBytes)) {
        frame = readBody(in, request.getLength());
      } catch (BoundedInputStream.TooLarge e) {
        events.frameRejected(Rejection.TOO_LARGE);
        answers.tooLarge(response, callback);
        return;
      } catch (IOException e) {
        answers.readFailed(response, callback, e);
        return;
      }
    }
    // PROTOCOL.md §15.6 steps 3–4: a request frame, and exactly one Parley-Session header equal to
    // its sid. The session is found by the frame's own sid (§13.2 rule 1), never by the header.
    HttpBinding.RequestFrame header = HttpBinding.peekRequest(frame, frame.length);
    if (header == null) {
      frameRejected(response, callback, Rejection.MALFORMED, "not a request frame");
      return;
    }
    List<String> sidHeaders = request.getHeaders().getValuesList(ServerModule.SESSION_HEADER);
    if (sidHeaders.size() != 1) {
      frameRejected(response, callback, Rejection.SESSION_HEADER, sidHeaders.isEmpty() ? "no Parley-Session header" : "a repeated Parley-Session header");
      return;
    }
    byte[] headerSid = decodeSid(sidHeaders.get(0));
    if (headerSid == null || !MessageDigest.isEqual(headerSid, header.sessionId())) {
      frameRejected(response, callback, Rejection.SESSION_HEADER, "the Parley-Session header is malformed or differs from the frame's sid");
      return;
    }
    String sid = sidHeaders.get(0);
    ServerSession session = sessions.peek(sid);
    if (session == null || !session.isEncrypted() || !session.enter()) {
      unknownSession(response, callback, sid, header.counter(), header.tag());
      return;
    }
    boolean handedOver = false;
    try {
      handedOver = serveSealed(request, response, callback, session, header, frame);
    } finally {
      if (!handedOver) {
        session.exit();
      }
    }
  }

  /** Returns true when the dispatcher took over (it exits the session when the answer is sealed). */
  private boolean serveSealed(Request request, Response response, Callback callback, ServerSession session,
      HttpBinding.RequestFrame header, byte[] frame) {
    // Opening in place overwrites the frame with its plaintext: the header keeps the request's tag for a reject.
    byte[] requestTag = header.tag();
    Plaintext opened;
    try {
      opened = session.channel().openRequestInPlace(frame, 0, frame.length, METHOD, route);   // PROTOCOL.md §10.5, §11
    } catch (CryptoException e) {
      ServerChannel.Retired retired = session.retired();
      if (retired != null && retired.neverAccepted(header.counter())) {
        // Retired while this frame was opened: its mark failed, so it never ran and never will (§13.2).
        events.frameRejected(Rejection.UNKNOWN_SESSION);
        reject(response, callback, header.sessionId(), header.counter(), requestTag);
      } else {
        frameRejected(response, callback, Rejection.of(e.reason()), e.reason().toString());
      }
      return false;
    }
    long requestCounter = opened.counter();
    sessions.touch(session);   // an authentic call: counts as a use of the session
    if (!clock.instant().isBefore(session.createdAt().plus(maxAge))) {
      // PROTOCOL.md §12.4, §15.6 step 7: the session could not seal the answer; nothing ran, so the
      // reject is true. The session is retired with this counter marked: a copy gets 400.
      session.invalidate();
      events.frameRejected(Rejection.EXPIRED);
      reject(response, callback, header.sessionId(), requestCounter, requestTag);
      return false;
    }
    if (draining.getAsBoolean()) {
      // PROTOCOL.md §15.7: authenticated and marked (no copy can run later), not run: the sealed 503.
      sealAndSend(response, callback, session, requestCounter, null, HttpStatus.SERVICE_UNAVAILABLE_503);
      return false;
    }
    if (opened.length() == 0) {
      sealAndSend(response, callback, session, requestCounter, null, HttpStatus.OK_200);   // §15.4: a ping
      return false;
    }
    RequestBody body;
    RequestScope scope = null;
    try {
      HttpBinding.OpenedRequest plaintext = HttpBinding.openRequest(opened.array(), opened.offset(), opened.length(),
          maxBodyBytes);   // PROTOCOL.md §15.4: flags, metadata (deadline, trace context), payload
      scope = RequestScope.sealed(scopes, request, plaintext.metadata());
      HttpBinding.Bytes json = plaintext.json();
      body = ServerRequestReader.read(new ByteArrayInputStream(json.array(), json.offset(), json.length()));
    } catch (HttpBinding.PlaintextException e) {
      if (e.problem() == HttpBinding.PlaintextException.Problem.TOO_LARGE) {
        events.frameRejected(Rejection.TOO_LARGE);
        answers.tooLarge(response, callback);
        return false;
      }
      LOG.debug("sealed request on {} has bad flags, metadata or DEFLATE data ({})", route, e.getMessage());
      body = null;
    } catch (IOException e) {
      body = null;   // reading an array does not fail; were it to, the body counts as malformed
    }
    if (body == null || body.isParseError()) {
      sealAndSend(response, callback, session, requestCounter, JsonRpcAnswers.parseError(1), HttpStatus.OK_200);
      return false;
    }
    request.addIdleTimeoutListener(timeout -> false);
    boolean batch = body.isBatch();   // the answer needs this, not the body (its params can go early)
    RequestScope calls = scope;
    long requestBytes = frame.length;
    dispatcher.dispatch(body, session, calls, new CallWatch(request), (outcomes, fatal) -> {
      try {
        if (fatal != null) {
          answers.failedInternally(response, callback, fatal);
          return;
        }
        ResponseBuffer out = JsonRpcAnswers.render(batch, outcomes, true);
        sealAndSend(response, callback, session, requestCounter, out, HttpStatus.OK_200,
            frameLength -> dispatcher.answered(calls, requestBytes, frameLength));
      } catch (RuntimeException | Error e) {
        answers.failedInternally(response, callback, e);
      } finally {
        session.exit();
      }
    });
    return true;
  }

  /**
   * Seals {@code json} (its first byte reserved for the compression flag; null = nothing to
   * answer, sealed as an empty plaintext) with {@code status} bound in, and answers it with that
   * status as {@code application/vnd.parley.sealed}.
   */
  private void sealAndSend(Response response, Callback callback, ServerSession session, long requestCounter,
      ResponseBuffer json, int status) {
    sealAndSend(response, callback, session, requestCounter, json, status, null);
  }

  /** {@link #sealAndSend} that tells {@code sealed} the answer body's length (0 when it could not be sealed) before it is written. */
  private void sealAndSend(Response response, Callback callback, ServerSession session, long requestCounter,
      ResponseBuffer json, int status, IntConsumer sealed) {
    ResponseBuffer plaintext = json == null ? new ResponseBuffer(0) : sealedPlaintext(json);
    int length = plaintext.size();
    int frameLength;
    try {
      // The frame replaces the plaintext in its own buffer (PROTOCOL.md §10.2 chunks, sealed last to
      // first): no body-sized frame array next to the answer. A growable buffer usually has the
      // room (one tag per 64 KiB and the header); if not, it grows to exactly the frame's size.
      ServerChannel channel = session.channel();
      plaintext.ensureCapacity(channel.sealedLength(length));
      frameLength = channel.sealResponseInPlace(requestCounter, status, METHOD, route, plaintext.array(), length);
    } catch (CryptoException e) {
      // PROTOCOL.md §12: the session reached a limit (or was closed) after the call ran. The
      // answer cannot be sealed; an empty 410 is deliberately unverifiable, so the client
      // re-handshakes but re-sends only idempotent calls (the call did run).
      LOG.debug("sealing an answer on {} failed ({}); answered an unverifiable 410", route, e.toString());
      session.invalidate();
      if (sealed != null) {
        sealed.accept(0);
      }
      answers.sendBytes(response, callback, HttpStatus.GONE_410, REJECT_TYPE, NO_BYTES);
      return;
    }
    if (sealed != null) {
      sealed.accept(frameLength);
    }
    answers.send(response, callback, status, SEALED_TYPE, ResponseBuffer.wrapping(plaintext.array(), frameLength));
  }

  /**
   * The sealed plaintext of PROTOCOL.md §15.4 for {@code json}, whose first byte is reserved for the
   * flag: {@code json} itself, or a new buffer with the raw DEFLATE of the JSON at the module's level.
   */
  private ResponseBuffer sealedPlaintext(ResponseBuffer json) {
    HttpBinding.Bytes plaintext = HttpBinding.sealedPlaintext(json.array(), json.size(),
        deflaterLevel);
    return plaintext.array() == json.array() ? json : ResponseBuffer.wrapping(plaintext.array(), plaintext.length());
  }

  /**
   * PROTOCOL.md §13.2: a frame whose session this instance does not hold. The reject only when it
   * is true that the request did not run here and never will.
   */
  private void unknownSession(Response response, Callback callback, String sid, long counter, byte[] requestTag) {
    ServerChannel.Retired retired = sessions.retired(sid);
    if (retired != null) {
      if (retired.neverAccepted(counter)) {
        LOG.debug("sealed call on {} for a retired session; answered the reject", route);
        events.frameRejected(Rejection.UNKNOWN_SESSION);
        reject(response, callback, decodeSid(sid), counter, requestTag);
      } else {
        frameRejected(response, callback, Rejection.REPLAYED, "a copy of a frame the retired session accepted");
      }
      return;
    }
    if (sessions.forgotRetirements()) {
      LOG.debug("sealed call on {} for an unknown session while retirement records were dropped early;"
          + " answered an unverifiable 410", route);
      events.frameRejected(Rejection.UNKNOWN_SESSION);
      answers.sendBytes(response, callback, HttpStatus.GONE_410, REJECT_TYPE, NO_BYTES);
      return;
    }
    LOG.debug("sealed call on {} for an unknown session; answered the reject", route);
    events.frameRejected(Rejection.UNKNOWN_SESSION);
    reject(response, callback, decodeSid(sid), counter, requestTag);
  }

  /** HTTP 410 with this instance's reject of PROTOCOL.md §13.1. */
  private void reject(Response response, Callback callback, byte[] sid, long counter, byte[] requestTag) {
    answers.sendBytes(response, callback, HttpStatus.GONE_410, REJECT_TYPE, instance.reject(sid, counter, requestTag, route));
  }

  private void frameRejected(Response response, Callback callback, Rejection reason, String why) {
    LOG.debug("frame on {} rejected: {}", route, why);
    events.frameRejected(reason);
    Answers.httpError(response, callback, HttpStatus.BAD_REQUEST_400, FRAME_REJECTED, false);
  }

  /**
   * The whole body: with a known Content-Length straight into an array of that size (one copy),
   * else (chunked) grown as it arrives. {@code in} bounds the size either way.
   */
  static byte[] readBody(InputStream in, long contentLength) throws IOException {
    if (contentLength < 0 || contentLength > Integer.MAX_VALUE - 64) {
      return in.readAllBytes();
    }
    byte[] body = in.readNBytes((int) contentLength);
    if (body.length != contentLength || in.read() != -1) {
      throw new IOException("the body's length differs from its Content-Length");
    }
    return body;
  }

  /** The 16-byte sid of a {@code Parley-Session} header (base64url, no padding), or null. */
  static byte[] decodeSid(String text) {
    if (text == null || !SessionIds.wellFormed(text)) {
      return null;
    }
    try {
      byte[] sid = Base64.getUrlDecoder().decode(text);
      return sid.length == SessionKeys.SESSION_ID_LENGTH ? sid : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
