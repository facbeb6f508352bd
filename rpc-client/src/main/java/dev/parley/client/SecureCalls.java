package dev.parley.client;

import dev.parley.Compression;
import dev.parley.TransportException;
import dev.parley.client.internal.Bodies;
import dev.parley.client.internal.SealedFrameBody;
import dev.parley.crypto.ClientHandshake;
import dev.parley.crypto.CryptoException;
import dev.parley.crypto.SecureChannel;
import dev.parley.crypto.SecureKey;
import dev.parley.internal.jsonrpc.ClientResponseException;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The encrypted side of a {@link ClientModule}: the handshake (single-flight, PROTOCOL.md §6), sealed
 * calls (§10), the unknown-session reject (§13) with re-handshake and repost (DESIGN §4), and the
 * fallback to plain calls when a non-forcing client meets a module that does not encrypt (§9).
 *
 * <p>Every exchange is written once as a chain of {@link CompletableFuture}s over a transport that
 * either executes on the caller's thread (synchronous calls: the chain completes before
 * {@link #exchange} returns, nothing hops threads) or enqueues on OkHttp's dispatcher (asynchronous
 * calls: nothing ever blocks a dispatcher thread waiting for a handshake).
 */
final class SecureCalls {
  private static final Logger LOG = LoggerFactory.getLogger(ClientModule.class);

  static final String HANDSHAKE_TYPE = "application/vnd.parley.handshake";
  static final String SEALED_TYPE = "application/vnd.parley.sealed";
  static final MediaType HANDSHAKE = MediaType.get(HANDSHAKE_TYPE);
  static final MediaType SEALED = MediaType.get(SEALED_TYPE);
  /** PROTOCOL.md §11: at most 1024 requests in flight per session (the replay window is 4×). */
  static final int MAX_IN_FLIGHT = 1024;
  private static final String METHOD = "POST";
  private static final int MAX_HANDSHAKE_ANSWER = 2048;
  private static final int MAX_REJECT = 1024;

  /** What a sealed exchange gives back: the JSON-RPC bytes, or {@code plain} after a fallback. */
  record Reply(Bodies.Slice json, boolean plain) {
    static final Reply PLAIN = new Reply(null, true);
  }

  /** One session: its channel and id, and a count of the calls using it (keys zeroed when the last one ends). */
  static final class Session {
    final SecureChannel channel;
    final String sid;
    private final AtomicInteger users = new AtomicInteger();
    private final AtomicBoolean dropped = new AtomicBoolean();
    private final AtomicBoolean destroyed = new AtomicBoolean();

    Session(SecureChannel channel, String sid) {
      this.channel = channel;
      this.sid = sid;
    }

    boolean acquire() {
      users.incrementAndGet();
      if (dropped.get()) {
        release();
        return false;
      }
      return true;
    }

    void release() {
      if (users.decrementAndGet() == 0 && dropped.get()) {
        destroy();
      }
    }

    /** Returns true for the one caller that dropped it. */
    boolean drop() {
      boolean first = dropped.compareAndSet(false, true);
      if (users.get() == 0) {
        destroy();
      }
      return first;
    }

    private void destroy() {
      if (destroyed.compareAndSet(false, true)) {
        channel.destroy();  // PROTOCOL.md §7.2: secrets zeroed when a session ends
      }
    }
  }

  /** Marks the module as fallen back to plain calls (a 415 to msg1, not forcing). */
  private static final Session PLAIN = new Session(null, null);

  private final OkHttpClient http;
  private final HttpUrl url;
  private final String urlText;
  private final String route;
  private final SecureKey secureKey;
  private final int encryptionKey;
  private final boolean force;
  private final boolean autoRepost;
  private final Compression compression;
  private final long maxBodyBytes;
  private final Events events;
  private final SecureRandom random = new SecureRandom();
  private final AtomicReference<CompletableFuture<Session>> current = new AtomicReference<>();
  private final Semaphore syncSlots = new Semaphore(MAX_IN_FLIGHT);
  private final AtomicInteger handshakes = new AtomicInteger();
  private volatile boolean plain;
  private volatile java.time.Duration maxAge = SecureChannel.DEFAULT_MAX_AGE;
  private volatile java.time.Clock clock = java.time.Clock.systemUTC();

  /** TEST HOOK: the session maximum age (PROTOCOL.md §12.4) and the clock it is counted on. */
  void maxAge(java.time.Duration maxAge, java.time.Clock clock) {
    this.maxAge = maxAge;
    this.clock = clock;
  }

  SecureCalls(OkHttpClient http, HttpUrl url, SecureKey secureKey, int encryptionKey, boolean force,
      boolean autoRepost, Compression compression, long maxBodyBytes, Events events) {
    this.http = http;
    this.url = url;
    this.urlText = url.toString();
    this.route = url.encodedPath();   // PROTOCOL.md §5, §10.4: the module route as the server module has it
    this.secureKey = secureKey;
    this.encryptionKey = encryptionKey;
    this.force = force;
    this.autoRepost = autoRepost;
    this.compression = compression;
    this.maxBodyBytes = maxBodyBytes;
    this.events = events;
  }

  /** True once the module fell back to plain calls (never for a forcing client). */
  boolean fellBack() {
    return plain;
  }

  /** The current session id, if a handshake completed. */
  String sessionId() {
    CompletableFuture<Session> f = current.get();
    if (f == null || !f.isDone() || f.isCompletedExceptionally()) {
      return null;
    }
    Session s = f.join();
    return s == PLAIN || s.dropped.get() ? null : s.sid;
  }

  /** The settings, never a secret (tests). */
  String settings() {
    return "encryptionKey=" + encryptionKey + ", force=" + force + ", autoRepost=" + autoRepost
        + ", keyId=" + (secureKey.isNone() ? "none" : secureKey.keyId());
  }

  /** Handshakes started so far (tests, diagnostics). */
  int handshakes() {
    return handshakes.get();
  }

  void close() {
    CompletableFuture<Session> f = current.getAndSet(null);
    if (f != null && f.isDone() && !f.isCompletedExceptionally() && f.join() != PLAIN) {
      f.join().drop();
    }
  }

  // ------------------------------------------------------------------ one call

  /** The state of one logical call across its attempts. */
  private final class Exchange {
    final boolean sync;
    /** The JSON-RPC bytes: emptied once sealed, refilled if the call falls back to plain JSON-RPC. */
    final Buffer json;
    /** The sealed plaintext, kept for a re-seal (repost, resend) until an answer arrives. */
    private byte[] plaintext;
    final String function;
    final String what;
    final boolean idempotent;
    final CompletableFuture<Reply> result = new CompletableFuture<>();
    volatile Call call;
    boolean reposted;
    boolean resent;
    boolean notSentResent;
    boolean allVerified = true;

    Exchange(boolean sync, Buffer json, String function, String what, boolean idempotent) {
      this.sync = sync;
      this.json = json;
      this.function = function;
      this.what = what;
      this.idempotent = idempotent;
      result.whenComplete((r, e) -> {
        Call c = call;
        if (result.isCancelled() && c != null) {
          c.cancel();
        }
      });
    }

    /** The plaintext to seal, made from (and emptying) the JSON-RPC bytes on the first attempt. */
    byte[] plaintext() {
      if (plaintext == null) {
        plaintext = Bodies.sealedPlaintext(json, compression);
      }
      return plaintext;
    }

    /** An answer arrived: no attempt follows, so the plaintext need not stay reachable. */
    void answered() {
      plaintext = null;
    }

    /** The call goes plain after all (a new handshake met a module that no longer encrypts). */
    Reply plain() {
      if (plaintext != null) {
        Bodies.restoreJson(plaintext, json);
        plaintext = null;
      }
      return Reply.PLAIN;
    }

    /** Sends {@code request}: on this thread (sync) or through OkHttp's dispatcher (async). */
    CompletableFuture<Response> send(Request request) {
      Call c = http.newCall(request);
      call = c;
      return SecureCalls.this.send(c, sync, result);
    }
  }

  /**
   * Sends the JSON-RPC bytes {@code json} sealed, handshaking first if needed. A synchronous
   * exchange is complete when this returns. The future fails with the exception to report
   * (unwrapped); cancelling it cancels the HTTP call in flight.
   */
  CompletableFuture<Reply> exchange(Buffer json, String function, String what, boolean idempotent, boolean sync) {
    Exchange ex = new Exchange(sync, json, function, what, idempotent);
    boolean slot = false;
    if (sync) {
      try {
        syncSlots.acquire();   // PROTOCOL.md §11: at most 1024 calls in flight
        slot = true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ex.result.completeExceptionally(new TransportException(what + " at " + urlText + " was interrupted", e));
        return ex.result;
      }
    }
    try {
      attempt(ex, 1).whenComplete((reply, error) -> {
        if (error != null) {
          ex.result.completeExceptionally(unwrap(error));
        } else {
          ex.result.complete(reply);
        }
      });
    } finally {
      if (slot) {
        syncSlots.release();
      }
    }
    return ex.result;
  }

  private CompletableFuture<Reply> attempt(Exchange ex, int sealRetries) {
    return withSession(ex, session -> {
      if (session == PLAIN) {
        return CompletableFuture.completedFuture(ex.plain());
      }
      if (!session.acquire()) {
        return attempt(ex, sealRetries);   // dropped meanwhile: the next session
      }
      SecureChannel.Sealed sealed;
      try {
        sealed = session.channel.sealRequest(METHOD, route, ex.plaintext());   // PROTOCOL.md §10.5
      } catch (CryptoException e) {
        // PROTOCOL.md §12: LIMIT (counter, epoch or age): this session is used up; handshake anew.
        session.release();
        drop(session, false);
        if (sealRetries > 0) {
          return attempt(ex, sealRetries - 1);
        }
        return CompletableFuture.failedFuture(new TransportException("cannot seal " + ex.what + " for "
            + urlText + " even on a new session (" + e.getMessage() + ")", e));
      }
      // Only the counter and the tag outlive the send: the frame body lets go of the frame once written.
      long counter = sealed.counter();
      byte[] tag = sealed.tag();
      // PROTOCOL.md §15.3: Content-Type and Parley-Session, nothing more (an Accept would say what the type says).
      Request request = new Request.Builder()
          .url(url)
          .header(ClientModule.SESSION_HEADER, session.sid)
          .post(new SealedFrameBody(sealed.frame(), SEALED))
          .build();
      return ex.send(request)
          .handle((response, error) -> answered(ex, session, counter, tag, response, error))
          .thenCompose(Function.identity());
    });
  }

  private CompletableFuture<Reply> answered(Exchange ex, Session session, long counter, byte[] tag,
      Response response, Throwable error) {
    boolean released = false;
    try {
      if (error != null) {
        session.release();
        released = true;
        return failedSend(ex, unwrap(error));
      }
      try (response) {
        int status = response.code();
        if (status == 200) {
          ex.answered();
          return CompletableFuture.completedFuture(new Reply(open(ex, session, counter, response), false));
        }
        if (status == 410) {
          byte[] reject = readQuietly(response, MAX_REJECT);
          // PROTOCOL.md §13: a reject proves anything only under a SecureKey; in the NN mode the key is public.
          boolean verified = reject != null && !secureKey.isNone()
              && session.channel.verifyReject(reject, counter, tag);
          session.release();
          released = true;
          drop(session, true);
          return afterReject(ex, verified);
        }
        if (status == 400) {
          throw new TransportException(urlText + " rejected the sealed request of " + ex.what
              + " (HTTP 400 frame rejected: it was altered on the way, replayed or is malformed);"
              + " the session stays usable", 400, null);
        }
        throw ClientModule.statusFailure(response, urlText, ex.what, events);
      }
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    } finally {
      if (!released) {
        session.release();
      }
    }
  }

  /** PROTOCOL.md §10.5, client: the answer must be a response frame for this very request. */
  private Bodies.Slice open(Exchange ex, Session session, long counter, Response response) {
    String type = response.header("Content-Type");
    if (!Bodies.hasMediaType(type, SEALED_TYPE)) {
      throw new TransportException(urlText + " answered the sealed request of " + ex.what + " with HTTP 200 and"
          + " content type " + (type == null ? "none" : Failures.clean(type, 80)) + " instead of "
          + SEALED_TYPE, 200, null);
    }
    byte[] frame;
    try {
      long maxFrame = maxBodyBytes + 1 + (maxBodyBytes / 65536 + 2) * 16 + 64;
      frame = Bodies.readAtMost(response.body().byteStream(), maxFrame, "the sealed answer",
          response.body().contentLength());
    } catch (ClientResponseException e) {
      throw new TransportException("invalid answer from " + urlText + " to " + ex.what + ": " + e.getMessage(), 200, e);
    } catch (IOException e) {
      events.connectionLost(e);
      throw Failures.io(e, urlText, ex.what, true, ex.sync);
    }
    SecureChannel.Plaintext plaintext;
    try {
      // In place: the frame array becomes the plaintext, no second body-sized array.
      plaintext = session.channel.openResponseInPlace(frame, 0, frame.length, counter, 200, METHOD, route);
    } catch (CryptoException | IllegalStateException e) {
      throw new TransportException("the sealed answer from " + urlText + " to " + ex.what + " failed to open"
          + " (altered on the way, or the answer to another call); whether it ran is unknown", 200, e);
    }
    try {
      return Bodies.openedJson(plaintext.array(), plaintext.offset(), plaintext.length(), maxBodyBytes);
    } catch (ClientResponseException e) {
      throw new TransportException("invalid answer from " + urlText + " to " + ex.what + ": " + e.getMessage(), 200, e);
    }
  }

  /** DESIGN §4, PROTOCOL.md §13: at most one repost per call, never a loop. */
  private CompletableFuture<Reply> afterReject(Exchange ex, boolean verified) {
    ex.allVerified &= verified;
    String outcome = ex.allVerified ? "it did not run (the server proved it)" : "whether it ran is unknown";
    if (ex.reposted) {
      return CompletableFuture.failedFuture(new SessionLostException(urlText + " did not know the new session"
          + " either (HTTP 410 again after a new handshake) for " + ex.what + "; it was not sent a third time: "
          + outcome, ex.allVerified));
    }
    if (!autoRepost) {
      return CompletableFuture.failedFuture(new SessionLostException(urlText + " no longer knows the session"
          + " (HTTP 410) for " + ex.what + " and autoRepost is off, so it was not sent again: " + outcome
          + "; the next call runs a new handshake", ex.allVerified));
    }
    if (!verified && !ex.idempotent) {
      return CompletableFuture.failedFuture(new SessionLostException(urlText + " answered " + ex.what
          + " with an HTTP 410 that could not be verified, and it is not idempotent, so it was not sent again:"
          + " whether it ran is unknown; the next call runs a new handshake", false));
    }
    ex.reposted = true;
    events.repost(ex.function);
    return attempt(ex, 1);   // re-sealed on a new session with a new counter
  }

  /** A connection-level failure; an idempotent call is re-sealed (new counter) and sent once more. */
  private CompletableFuture<Reply> failedSend(Exchange ex, Throwable error) {
    if (error instanceof IOException io) {
      boolean canceled = ex.result.isCancelled() || (ex.call != null && ex.call.isCanceled());
      if (!canceled) {
        events.connectionLost(io);
      }
      if (Failures.notSent(io) && !ex.notSentResent && !canceled) {
        // The probe found the pooled connection closed before a byte was written: any call may go
        // again, but sealed anew with a new counter (never a byte-identical resend, PROTOCOL.md §11).
        ex.notSentResent = true;
        http.connectionPool().evictAll();
        return attempt(ex, 1);
      }
      if (ex.idempotent && !ex.resent && !canceled && Failures.resendable(io)) {
        ex.resent = true;   // never a byte-identical resend (PROTOCOL.md §11): sealed again
        return attempt(ex, 1);
      }
      return CompletableFuture.failedFuture(Failures.io(io, urlText, ex.what, false, ex.sync));
    }
    return CompletableFuture.failedFuture(error);
  }

  private void drop(Session session, boolean expired) {
    CompletableFuture<Session> f = current.get();
    if (f != null && f.isDone() && !f.isCompletedExceptionally() && f.join() == session) {
      current.compareAndSet(f, null);
    }
    if (session.drop() && expired) {
      events.sessionExpired(session.sid);
    }
  }

  // ------------------------------------------------------------------ the handshake

  /**
   * Runs {@code next} with the current session, starting the one shared handshake if there is none.
   * A synchronous caller waits for it on its own thread; an asynchronous one chains on it.
   */
  private <T> CompletableFuture<T> withSession(Exchange ex, Function<Session, CompletableFuture<T>> next) {
    CompletableFuture<Session> f = session(ex.sync);
    if (!ex.sync) {
      return f.thenCompose(next);
    }
    Session s;
    try {
      s = f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableFuture.failedFuture(new TransportException(ex.what + " at " + urlText
          + " was interrupted while waiting for the handshake", e));
    } catch (ExecutionException e) {
      return CompletableFuture.failedFuture(e.getCause());
    }
    return next.apply(s);
  }

  /** Single-flight: one handshake future shared by every caller, cleared when it fails. */
  private CompletableFuture<Session> session(boolean sync) {
    for (;;) {
      CompletableFuture<Session> f = current.get();
      if (f != null) {
        if (!f.isCompletedExceptionally()) {
          return f;
        }
        current.compareAndSet(f, null);
        continue;
      }
      CompletableFuture<Session> fresh = new CompletableFuture<>();
      if (current.compareAndSet(null, fresh)) {
        handshake(fresh, sync);
        return fresh;
      }
    }
  }

  /** PROTOCOL.md §6: msg1 → msg2 → msg3 → msg4 over two POSTs. */
  private void handshake(CompletableFuture<Session> fresh, boolean sync) {
    handshakes.incrementAndGet();
    ClientHandshake hs;
    byte[] msg1;
    try {
      hs = ClientHandshake.start(secureKey, route, encryptionKey, random);
      msg1 = hs.message1();
    } catch (RuntimeException e) {
      fail(fresh, e, null);
      return;
    }
    post(msg1, sync)
        .handle((response, error) -> afterMessage1(hs, response, error, sync, fresh))
        .thenCompose(Function.identity())
        .whenComplete((session, error) -> {
          if (error != null) {
            fail(fresh, unwrap(error), hs);
          } else if (session == PLAIN) {
            hs.destroy();
            plain = true;
            LOG.info("{} does not encrypt (HTTP 415 to the handshake); this client does not force encryption,"
                + " so it calls it in plain JSON-RPC from now on", urlText);
            fresh.complete(PLAIN);
          } else {
            events.sessionOpen(session.sid);
            fresh.complete(session);
          }
        });
  }

  private void fail(CompletableFuture<Session> fresh, Throwable error, ClientHandshake hs) {
    if (hs != null) {
      hs.destroy();
    }
    current.compareAndSet(fresh, null);   // the next call starts a new handshake
    fresh.completeExceptionally(error);
  }

  private CompletableFuture<Session> afterMessage1(ClientHandshake hs, Response response, Throwable error,
      boolean sync, CompletableFuture<Session> fresh) {
    try {
      if (error != null) {
        throw handshakeIo(unwrap(error), sync);
      }
      byte[] msg2;
      try (response) {
        int status = response.code();
        if (status == 403) {
          events.wrongSecureKey();
          throw new WrongSecureKeyException(urlText + " rejected the handshake (HTTP 403): this client's SecureKey"
              + " or secureKeyId differs from the server module's (or only one side has a SecureKey), or the URL"
              + " names another module", 403, null);
        }
        if (status == 415) {
          if (!force) {
            return CompletableFuture.completedFuture(PLAIN);
          }
          events.encryptionNotSupported();
          throw new EncryptionNotSupportedException(urlText + " does not encrypt (HTTP 415 to the handshake) and this"
              + " client forces encryption, so nothing was sent in clear; enable encryption on the server module", 415, null);
        }
        if (status == 404 || status >= 500) {
          throw ClientModule.statusFailure(response, urlText, "the handshake", events);
        }
        msg2 = handshakeBody(response, "the handshake");
      }
      byte[] msg3;
      try {
        msg3 = hs.message3(msg2);   // PROTOCOL.md §6.6, client msg2
      } catch (CryptoException e) {
        if (e.reason() == CryptoException.Reason.AUTHENTICATION) {
          events.wrongSecureKey();
          throw new WrongSecureKeyException("the handshake answer from " + urlText + " failed to authenticate: this"
              + " client's SecureKey differs from the server module's, or the answer was altered", 200, e);
        }
        events.encryptionNotSupported();
        throw new EncryptionNotSupportedException("the handshake answer from " + urlText + " is not a valid Parley"
            + " handshake message (" + e.getMessage() + ")", 200, e);
      }
      return post(msg3, sync)
          .handle((r, err) -> afterMessage3(hs, r, err, sync))
          .thenCompose(Function.identity());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private CompletableFuture<Session> afterMessage3(ClientHandshake hs, Response response, Throwable error, boolean sync) {
    try {
      if (error != null) {
        throw handshakeIo(unwrap(error), sync);
      }
      byte[] msg4;
      try (response) {
        if (response.code() == 403) {
          throw new TransportException(urlText + " rejected the second handshake message (HTTP 403: its token"
              + " expired or the server restarted meanwhile); the next call starts a new handshake", 403, null);
        }
        if (response.code() != 200) {
          throw ClientModule.statusFailure(response, urlText, "the handshake", events);
        }
        msg4 = handshakeBody(response, "the second handshake message");
      }
      try {
        var keys = hs.finish(msg4);   // PROTOCOL.md §6.6, client msg4
        try {
          return CompletableFuture.completedFuture(new Session(SecureChannel.client(keys, maxAge, clock), keys.sessionIdText()));
        } finally {
          keys.destroy();
        }
      } catch (CryptoException e) {
        throw new TransportException("the last handshake message from " + urlText + " failed to verify (altered on"
            + " the way?); the next call starts a new handshake", 200, e);
      }
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** A 200 with the handshake content type and a short body; anything else is no handshake answer (§9). */
  private byte[] handshakeBody(Response response, String what) {
    MediaType type = response.body().contentType();
    int status = response.code();
    if (status != 200 || type == null || !HANDSHAKE_TYPE.equals(type.type() + "/" + type.subtype())) {
      events.encryptionNotSupported();
      throw new EncryptionNotSupportedException(urlText + " did not answer " + what + " as a Parley module that"
          + " encrypts (HTTP " + status + ", content type " + (type == null ? "none" : Failures.clean(type.toString(), 80))
          + "); nothing was sent in clear", status, null);
    }
    try {
      return Bodies.readAtMost(response.body().byteStream(), MAX_HANDSHAKE_ANSWER, "the handshake answer");
    } catch (ClientResponseException e) {
      events.encryptionNotSupported();
      throw new EncryptionNotSupportedException(urlText + " answered " + what + " with a body too long for a"
          + " handshake message", 200, e);
    } catch (IOException e) {
      events.connectionLost(e);
      throw Failures.io(e, urlText, "the handshake", true, false);
    }
  }

  private RuntimeException handshakeIo(Throwable error, boolean sync) {
    if (error instanceof IOException io) {
      events.connectionLost(io);
      return Failures.io(io, urlText, "the handshake", false, sync);
    }
    return error instanceof RuntimeException r ? r : new TransportException("the handshake with " + urlText
        + " failed: " + error, error);
  }

  private CompletableFuture<Response> post(byte[] message, boolean sync) {
    Request request = new Request.Builder()
        .url(url)
        .header("Accept", HANDSHAKE_TYPE)
        .post(RequestBody.create(message, HANDSHAKE))
        .build();
    Call call = http.newCall(request);
    return send(call, sync, null).handle((response, error) -> {
      if (error != null && unwrap(error) instanceof IOException io && Failures.notSent(io)) {
        // Not sent at all (the pooled connection was closed): a handshake message may go once more.
        events.connectionLost(io);
        http.connectionPool().evictAll();
        return send(call.clone(), sync, null);
      }
      return error != null ? CompletableFuture.<Response>failedFuture(unwrap(error)) : CompletableFuture.completedFuture(response);
    }).thenCompose(Function.identity());
  }

  // ------------------------------------------------------------------ transport

  /** Executes {@code call} on this thread (sync) or enqueues it; the future fails with the raw exception. */
  private CompletableFuture<Response> send(Call call, boolean sync, CompletableFuture<?> owner) {
    if (owner != null && owner.isCancelled()) {
      call.cancel();
    }
    if (sync) {
      try {
        return CompletableFuture.completedFuture(call.execute());
      } catch (IOException e) {
        return CompletableFuture.failedFuture(e);
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      } catch (Exception e) {   // OkHttp throws InterruptedException undeclared
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
          return CompletableFuture.failedFuture(new TransportException("a call to " + urlText + " was interrupted", e));
        }
        return CompletableFuture.failedFuture(new TransportException("a call to " + urlText + " failed: " + e, e));
      }
    }
    CompletableFuture<Response> f = new CompletableFuture<>();
    call.enqueue(new Callback() {
      @Override
      public void onFailure(Call c, IOException e) {
        f.completeExceptionally(e);
      }

      @Override
      public void onResponse(Call c, Response response) {
        f.complete(response);
      }
    });
    return f;
  }

  private static byte[] readQuietly(Response response, int max) {
    try {
      return Bodies.readAtMost(response.body().byteStream(), max, "the reject");
    } catch (IOException e) {
      return null;
    }
  }

  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
