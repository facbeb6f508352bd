package dev.parley.client;

import dev.parley.CallOutcome;
import dev.parley.Compression;
import dev.parley.TransportException;
import dev.parley.client.internal.Bodies;
import dev.parley.client.internal.SealedFrameBody;
import dev.parley.crypto.ClientChannel;
import dev.parley.crypto.ClientHandshake;
import dev.parley.crypto.CryptoException;
import dev.parley.crypto.HttpBinding;
import dev.parley.crypto.Plaintext;
import dev.parley.crypto.SecureKey;
import dev.parley.internal.jsonrpc.ClientResponseException;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The encrypted side of a {@link ClientModule}: the handshake (single-flight, PROTOCOL.md §6), sealed
 * calls (§10), what the client may conclude from each answer (§13.3, §15.5, §15.7) and the re-sends
 * that follow (docs/CLIENT.md "Outcomes and re-sends"), the session probe (§15.4), and the fallback
 * to plain calls when a non-forcing client meets a module that does not encrypt (§9).
 *
 * <p>Every exchange is written once as a chain of {@link CompletableFuture}s over a {@link Transport}
 * that either executes on the caller's thread (synchronous calls: the chain completes before
 * {@link #exchange} returns, nothing hops threads) or enqueues on OkHttp's dispatcher (asynchronous
 * calls: nothing ever blocks a dispatcher thread waiting for a handshake).
 */
final class SecureCalls {
  private static final Logger LOG = LoggerFactory.getLogger(ClientModule.class);

  static final String HANDSHAKE_TYPE = HttpBinding.HANDSHAKE_TYPE;
  static final String SEALED_TYPE = HttpBinding.SEALED_TYPE;
  static final MediaType HANDSHAKE = MediaType.get(HANDSHAKE_TYPE);
  static final MediaType SEALED = MediaType.get(SEALED_TYPE);
  /** PROTOCOL.md §11: at most 1024 requests in flight per session (the replay window is 4×). */
  static final int MAX_IN_FLIGHT = 1024;
  /** PROTOCOL.md §13.3: a reject is accepted only this soon after the request was sealed. */
  static final Duration REJECT_HORIZON = Duration.ofSeconds(60);
  private static final String METHOD = "POST";
  private static final int MAX_HANDSHAKE_ANSWER = 2048;
  private static final int MAX_REJECT = 1024;
  /** Pooled connections found closed one after another before the client waits between attempts. */
  private static final int MAX_IMMEDIATE = 2;

  /** What a sealed exchange gives back: the JSON-RPC bytes, or {@code plain} after a fallback. */
  record Reply(Bodies.Slice json, boolean plain) {
    static final Reply PLAIN = new Reply(null, true);
  }

  /**
   * A reason to try again after a wait: the call was not sealed yet (its handshake or the session
   * probe could not be completed), so nothing of it reached a server.
   */
  static final class RetryLater extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RetryLater(String why) {
      super(why, null, false, false);
    }
  }

  /**
   * One session: its channel and id, a count of the calls using it (keys zeroed when the last one
   * ends), and whether it must be probed before a call is sealed on it (§13.4).
   */
  static final class Session {
    final ClientChannel channel;
    final String sid;
    private final AtomicInteger users = new AtomicInteger();
    private final AtomicBoolean dropped = new AtomicBoolean();
    private final AtomicBoolean destroyed = new AtomicBoolean();
    private final AtomicReference<CompletableFuture<Void>> probe = new AtomicReference<>();
    /** A connection failed since the last verified answer: the server may have restarted. */
    private volatile boolean suspect;
    private volatile long lastVerified = System.nanoTime();

    Session(ClientChannel channel, String sid) {
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

    boolean needsProbe(long idleNanos) {
      return suspect || (idleNanos > 0 && System.nanoTime() - lastVerified >= idleNanos);
    }

    /** An answer sealed by the session's instance arrived: it holds the session. */
    void verified() {
      lastVerified = System.nanoTime();
      if (suspect) {
        suspect = false;
      }
    }

    private void destroy() {
      if (destroyed.compareAndSet(false, true)) {
        channel.destroy();  // PROTOCOL.md §7.2: secrets zeroed when a session ends
      }
    }
  }

  private static final Consumer<Call> NOT_CANCELLABLE = call -> { };

  /** Marks the module as fallen back to plain calls (a 415 to msg1, not forcing). */
  private static final Session PLAIN = new Session(null, null);

  private final Transport transport;
  private final HttpUrl url;
  private final String urlText;
  private final String route;
  private final SecureKey secureKey;
  private final int encryptionKey;
  private final boolean force;
  private final boolean autoRepost;
  private final long probeAfterIdleNanos;
  private final Compression compression;
  private final long maxBodyBytes;
  private final Events events;
  private final SecureRandom random = new SecureRandom();
  private final AtomicReference<CompletableFuture<Session>> current = new AtomicReference<>();
  private final Semaphore syncSlots = new Semaphore(MAX_IN_FLIGHT);
  private final AtomicInteger handshakes = new AtomicInteger();
  private final AtomicInteger probes = new AtomicInteger();
  private volatile boolean plain;
  private volatile long rejectHorizonNanos = REJECT_HORIZON.toNanos();
  private volatile Duration maxAge = ClientChannel.DEFAULT_MAX_AGE;
  private volatile java.time.Clock clock = java.time.Clock.systemUTC();

  /** TEST HOOK: another reject horizon (PROTOCOL.md §13.3). */
  void rejectHorizon(Duration horizon) {
    this.rejectHorizonNanos = horizon.toNanos();
  }

  /** TEST HOOK: the session maximum age (PROTOCOL.md §12.4) and the clock it is counted on. */
  void maxAge(Duration maxAge, java.time.Clock clock) {
    this.maxAge = maxAge;
    this.clock = clock;
  }

  SecureCalls(Transport transport, HttpUrl url, SecureKey secureKey, int encryptionKey, boolean force,
      boolean autoRepost, Duration probeAfterIdle, Compression compression, long maxBodyBytes, Events events) {
    this.transport = transport;
    this.url = url;
    this.urlText = url.toString();
    this.route = url.encodedPath();   // PROTOCOL.md §5, §10.4: the module route as the server module has it
    this.secureKey = secureKey;
    this.encryptionKey = encryptionKey;
    this.force = force;
    this.autoRepost = autoRepost;
    this.probeAfterIdleNanos = probeAfterIdle.toNanos();
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

  /** Session probes sent so far (tests, diagnostics). */
  int probes() {
    return probes.get();
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
    final CallBudget budget = transport.newBudget();
    final CompletableFuture<Reply> result = new CompletableFuture<>();
    final Consumer<Call> current = this::current;
    volatile Call call;
    boolean reposted;
    boolean resent;
    int immediate;
    /** The session this call last checked with a ping: it is not pinged again for this call. */
    Session probed;
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

    private void current(Call c) {
      call = c;
      if (result.isCancelled()) {
        c.cancel();
      }
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

    /** The outcome of this call when an attempt was proven not run: unknown if an earlier one may have run. */
    CallOutcome notRun() {
      return Resend.notRun(budget);
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
        ex.result.completeExceptionally(new TransportException(what + " at " + urlText + " was interrupted before it"
            + " was sent", 0, CallOutcome.NOT_RUN, e));
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

  /** One attempt: a usable session (handshake, probe), then the sealed call. */
  private CompletableFuture<Reply> attempt(Exchange ex, int sealRetries) {
    return withSession(ex, session -> {
      if (session == PLAIN) {
        return CompletableFuture.completedFuture(ex.plain());
      }
      if (!session.acquire()) {
        return attempt(ex, sealRetries);   // dropped meanwhile: the next session
      }
      if (session != ex.probed && session.needsProbe(probeAfterIdleNanos)) {
        // PROTOCOL.md §13.4: check the session before sealing a call on it (once per call and session).
        session.release();
        return probe(ex, session).thenCompose(v -> {
          ex.probed = session;   // held (or dropped): no second ping for this call on it
          return attempt(ex, sealRetries);
        });
      }
      return sealAndSend(ex, session, sealRetries);
    }).handle((reply, error) -> error == null ? CompletableFuture.completedFuture(reply) : beforeSealing(ex, error, sealRetries))
        .thenCompose(Function.identity());
  }

  /** A failure before the call was sealed (handshake, probe) or the call's own final failure. */
  private CompletableFuture<Reply> beforeSealing(Exchange ex, Throwable error, int sealRetries) {
    Throwable t = unwrap(error);
    if (t instanceof RetryLater retry) {
      return transport.later(ex.budget, ex.sync, ex.what, retry.getMessage(), () -> attempt(ex, sealRetries));
    }
    if (t instanceof TransportException e && e.outcome() == CallOutcome.NOT_RUN && ex.budget.maybeRan) {
      // The handshake failed after an earlier attempt of this call may have run.
      return CompletableFuture.failedFuture(new TransportException(e.getMessage() + "; an earlier attempt of "
          + ex.what + " may have run, so whether it ran is unknown", e.httpStatus(), CallOutcome.UNKNOWN, e));
    }
    return CompletableFuture.failedFuture(t);
  }

  private CompletableFuture<Reply> sealAndSend(Exchange ex, Session session, int sealRetries) {
    ClientChannel.Sealed sealed;
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
          + urlText + " even on a new session (" + e.getMessage() + "); it was not sent", 0, ex.notRun(), e));
    }
    // Only the counter, the tag and the time outlive the send: the body lets go of the frame once written.
    long counter = sealed.counter();
    byte[] tag = sealed.tag();
    long sealedAt = System.nanoTime();
    // PROTOCOL.md §15.3: Content-Type and Parley-Session, nothing more.
    Request.Builder request = new Request.Builder()
        .url(url)
        .header(ClientModule.SESSION_HEADER, session.sid)
        .post(new SealedFrameBody(sealed.frame(), SEALED));
    return transport.send(request, ex.budget, ex.sync, ex.current)
        .handle((response, error) -> answered(ex, session, counter, tag, sealedAt, response, error))
        .thenCompose(Function.identity());
  }

  private CompletableFuture<Reply> answered(Exchange ex, Session session, long counter, byte[] tag, long sealedAt,
      Response response, Throwable error) {
    boolean released = false;
    try {
      if (error != null) {
        session.suspect = true;   // the server may have gone or restarted: probe before the next seal
        session.release();
        released = true;
        return failedSend(ex, unwrap(error));
      }
      try (response) {
        int status = response.code();
        if (status == 200) {
          ex.answered();
          Bodies.Slice json = open(ex, session, counter, 200, response);
          session.verified();
          return CompletableFuture.completedFuture(new Reply(json, false));
        }
        if (status == 503 && Bodies.hasMediaType(response.header("Content-Type"), SEALED_TYPE)) {
          return draining(ex, session, counter, response);
        }
        if (status == 410) {
          byte[] reject = readQuietly(response, MAX_REJECT);
          ClientChannel.RejectCheck check = reject == null ? ClientChannel.RejectCheck.INVALID
              : session.channel.checkReject(reject, counter, tag, route);
          boolean inTime = System.nanoTime() - sealedAt < rejectHorizonNanos;
          session.release();
          released = true;
          drop(session, true);
          return afterReject(ex, check, inTime);
        }
        if (status == 400) {
          throw new TransportException(urlText + " answered the sealed request of " + ex.what + " with HTTP 400"
              + " (frame rejected: altered on the way, a copy of a request already accepted, or malformed); no key"
              + " authenticates a 400, so whether it ran is unknown; the session is kept", 400, CallOutcome.UNKNOWN, null);
        }
        if (status >= 500) {
          // A proxy that lost the server (502, 504) or a server in trouble: it may be gone or
          // replaced, so check the session before the next call is sealed on it (§13.4).
          session.suspect = true;
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

  /**
   * PROTOCOL.md §15.7: a 503 whose body is a response frame. If it opens under status 503, the
   * session's instance is stopping and proved the call did not run: drop the session and send the
   * call again on a new one (after a wait: the server is going away). Otherwise it proves nothing.
   */
  private CompletableFuture<Reply> draining(Exchange ex, Session session, long counter, Response response) {
    try {
      open(ex, session, counter, 503, response);
    } catch (TransportException e) {
      throw new TransportException(urlText + " answered " + ex.what + " with an HTTP 503 whose sealed body does not"
          + " authenticate; whether it ran is unknown", 503, CallOutcome.UNKNOWN, e);
    }
    drop(session, true);
    LOG.debug("{} is stopping and did not run {}; sending it again on a new session", urlText, ex.what);
    return transport.later(ex.budget, ex.sync, ex.what, urlText + " is stopping (it answered an authenticated 503:"
        + " not run)", () -> attempt(ex, 1));
  }

  /** PROTOCOL.md §10.5, client: the answer must be a response frame for this very request. */
  private Bodies.Slice open(Exchange ex, Session session, long counter, int status, Response response) {
    String type = response.header("Content-Type");
    if (!Bodies.hasMediaType(type, SEALED_TYPE)) {
      throw new TransportException(urlText + " answered the sealed request of " + ex.what + " with HTTP " + status
          + " and content type " + (type == null ? "none" : Failures.clean(type, 80)) + " instead of "
          + SEALED_TYPE + "; whether it ran is unknown", status, CallOutcome.UNKNOWN, null);
    }
    byte[] frame;
    try {
      long maxFrame = HttpBinding.maxResponseFrame(maxBodyBytes + 1);   // the flag byte and the JSON, sealed
      frame = Bodies.readAtMost(response.body().byteStream(), maxFrame, "the sealed answer",
          response.body().contentLength());
    } catch (ClientResponseException e) {
      throw new TransportException("invalid answer from " + urlText + " to " + ex.what + ": " + e.getMessage()
          + "; whether it ran is unknown", status, CallOutcome.UNKNOWN, e);
    } catch (IOException e) {
      events.connectionLost(e);
      throw Failures.io(e, urlText, ex.what, true, ex.sync, CallOutcome.UNKNOWN);
    }
    Plaintext plaintext;
    try {
      // In place: the frame array becomes the plaintext, no second body-sized array.
      plaintext = session.channel.openResponseInPlace(frame, 0, frame.length, counter, status, METHOD, route);
    } catch (CryptoException | IllegalStateException e) {
      throw new TransportException("the sealed answer from " + urlText + " to " + ex.what + " failed to open"
          + " (altered on the way, or the answer to another call); whether it ran is unknown", status,
          CallOutcome.UNKNOWN, e);
    }
    try {
      return Bodies.openedJson(plaintext.array(), plaintext.offset(), plaintext.length(), maxBodyBytes);
    } catch (ClientResponseException e) {
      throw new TransportException("invalid answer from " + urlText + " to " + ex.what + ": " + e.getMessage(),
          status, CallOutcome.UNKNOWN, e);
    }
  }

  /** PROTOCOL.md §13.3: what a 410 proves; at most one repost per call, never a loop. */
  private CompletableFuture<Reply> afterReject(Exchange ex, ClientChannel.RejectCheck check, boolean inTime) {
    // In the unauthenticated mode a man in the middle may hold the session's reject key (§8).
    boolean verified = check == ClientChannel.RejectCheck.VERIFIED && inTime && !secureKey.isNone();
    ex.allVerified &= verified;
    CallOutcome outcome = ex.allVerified ? ex.notRun() : CallOutcome.UNKNOWN;
    String said = outcome == CallOutcome.NOT_RUN ? "it did not run (the session's own server instance proved it)"
        : "whether it ran is unknown";
    if (ex.reposted) {
      return CompletableFuture.failedFuture(new SessionLostException(urlText + " did not know the new session"
          + " either (HTTP 410 again after a new handshake) for " + ex.what + "; it was not sent a third time: "
          + said, outcome));
    }
    if (!autoRepost) {
      return CompletableFuture.failedFuture(new SessionLostException(urlText + " no longer knows the session"
          + " (HTTP 410) for " + ex.what + " and autoRepost is off, so it was not sent again: " + said
          + "; the next call runs a new handshake", outcome));
    }
    if (!verified && !ex.idempotent) {
      return CompletableFuture.failedFuture(new SessionLostException(urlText + " answered " + ex.what
          + " with an HTTP 410 that " + unverifiedBecause(check, inTime) + ", and it is not idempotent, so it was not"
          + " sent again: whether it ran is unknown; the next call runs a new handshake", CallOutcome.UNKNOWN));
    }
    if (!verified) {
      ex.budget.maybeRan = true;
    }
    ex.reposted = true;
    events.repost(ex.function);
    return attempt(ex, 1);   // re-sealed on a new session with a new counter
  }

  private String unverifiedBecause(ClientChannel.RejectCheck check, boolean inTime) {
    if (secureKey.isNone()) {
      return "proves nothing without a SecureKey";
    }
    if (check == ClientChannel.RejectCheck.OTHER_INSTANCE) {
      return "comes from another server instance than the one that holds the session (a replica, or the server"
          + " restarted), which cannot know whether the session's instance ran it";
    }
    if (check == ClientChannel.RejectCheck.VERIFIED && !inTime) {
      return "arrived more than " + Duration.ofNanos(rejectHorizonNanos).toSeconds() + " s after the call was sealed"
          + " (too late to prove anything, PROTOCOL.md §13.3)";
    }
    return "does not verify";
  }

  /** A failure without an answer: sent again by the rule of {@link Resend}, sealed anew each time. */
  private CompletableFuture<Reply> failedSend(Exchange ex, Throwable error) {
    if (!(error instanceof Transport.SendFailure f)) {
      return CompletableFuture.failedFuture(error);
    }
    if (!f.canceled) {
      events.connectionLost(f.io);
    }
    switch (Resend.after(f.io, f.written, f.canceled)) {
      case NOW:
        if (ex.immediate++ < MAX_IMMEDIATE) {
          // Never a byte-identical resend (PROTOCOL.md §11): the next attempt seals anew.
          transport.evictIdle();
          return attempt(ex, 1);
        }
        // fall through: several closed connections in a row, the server is likely restarting
      case LATER:
        if (!transport.waitsForServer()) {
          break;   // fails at once: it was not sent
        }
        return transport.later(ex.budget, ex.sync, ex.what, "cannot reach " + urlText + " ("
            + Failures.detail(f.io) + ")", () -> attempt(ex, 1));
      case IF_IDEMPOTENT:
        if (ex.idempotent && !ex.resent) {
          ex.resent = true;
          ex.budget.maybeRan = true;
          return attempt(ex, 1);
        }
        break;
      default:
        break;
    }
    return CompletableFuture.failedFuture(Failures.io(f.io, urlText, ex.what, false, ex.sync,
        Resend.outcome(ex.budget, f.written, f.io)));
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

  // ------------------------------------------------------------------ the session probe

  /**
   * PROTOCOL.md §13.4, §15.4: checks a session before a call is sealed on it, with an empty sealed
   * request that runs nothing. One probe per session at a time; concurrent callers wait for it. It
   * completes when the session is known to be held (a verified empty answer) or has been dropped (so
   * the next attempt runs a new handshake), and fails with {@link RetryLater} when neither could be
   * learned yet (the server is unreachable): the caller waits and tries again.
   */
  private CompletableFuture<Void> probe(Exchange ex, Session session) {
    CompletableFuture<Void> mine = new CompletableFuture<>();
    CompletableFuture<Void> running = session.probe.compareAndExchange(null, mine);
    if (running != null) {
      if (!ex.sync) {
        return running;
      }
      try {
        running.get(Math.max(1, ex.budget.remainingNanos()), TimeUnit.NANOSECONDS);
        return CompletableFuture.completedFuture(null);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return CompletableFuture.failedFuture(new TransportException(ex.what + " at " + urlText + " was interrupted"
            + " while the session was being checked", 0, ex.notRun(), e));
      } catch (ExecutionException e) {
        return CompletableFuture.failedFuture(e.getCause());
      } catch (java.util.concurrent.TimeoutException e) {
        return CompletableFuture.failedFuture(new RetryLater("the session check took too long"));
      }
    }
    probes.incrementAndGet();
    ProbeResult result;
    if (!session.acquire()) {
      result = ProbeResult.DROPPED;
      finishProbe(session, mine, result);
      return mine;
    }
    CompletableFuture<ProbeResult> sent;
    try {
      ClientChannel.Sealed ping = session.channel.sealRequest(METHOD, route, new byte[0]);
      Request.Builder request = new Request.Builder()
          .url(url)
          .header(ClientModule.SESSION_HEADER, session.sid)
          .post(new SealedFrameBody(ping.frame(), SEALED));
      sent = transport.send(request, ex.budget, ex.sync, NOT_CANCELLABLE)   // other callers may wait for it
          .handle((response, error) -> probeAnswered(ex, session, ping.counter(), response, error));
    } catch (CryptoException e) {
      sent = CompletableFuture.completedFuture(ProbeResult.DROP);   // the session is used up
    }
    sent.whenComplete((r, e) -> {
      session.release();
      finishProbe(session, mine, e != null ? ProbeResult.RETRY : r);
    });
    return mine;
  }

  private enum ProbeResult { HELD, DROP, DROPPED, RETRY }

  private void finishProbe(Session session, CompletableFuture<Void> probe, ProbeResult result) {
    session.probe.compareAndSet(probe, null);
    switch (result) {
      case HELD -> {
        session.verified();
        probe.complete(null);
      }
      case DROP -> {
        drop(session, true);
        probe.complete(null);
      }
      case DROPPED -> probe.complete(null);
      default -> probe.completeExceptionally(new RetryLater("the session's server could not be reached to check"
          + " the session"));
    }
  }

  private ProbeResult probeAnswered(Exchange ex, Session session, long counter, Response response, Throwable error) {
    if (error != null) {
      Throwable t = unwrap(error);
      if (t instanceof Transport.SendFailure f) {
        if (!f.canceled) {
          events.connectionLost(f.io);
        }
        Resend.Next next = Resend.after(f.io, f.written, f.canceled);
        if (next == Resend.Next.NOW) {
          transport.evictIdle();
        }
        // A ping runs nothing: whatever happened to it, try again later; a hopeless failure (unknown
        // host, TLS) drops the session, and the handshake that follows reports it.
        return next == Resend.Next.FAIL ? ProbeResult.DROP : ProbeResult.RETRY;
      }
      return ProbeResult.RETRY;
    }
    try (response) {
      int status = response.code();
      if (status == 200) {
        try {
          open(ex, session, counter, 200, response);
          return ProbeResult.HELD;
        } catch (TransportException e) {
          return ProbeResult.DROP;
        }
      }
      if (status == 502 || status == 504 || (status == 503 && response.header(ClientModule.DRAINING_HEADER) == null
          && !Bodies.hasMediaType(response.header("Content-Type"), SEALED_TYPE))) {
        return ProbeResult.RETRY;   // a proxy without a reachable server: it may come back
      }
      return ProbeResult.DROP;   // 410, 400, a draining 503, anything else: the session is not usable
    }
  }

  // ------------------------------------------------------------------ the handshake

  /**
   * Runs {@code next} with the current session, starting the one shared handshake if there is none.
   * A synchronous caller waits for it on its own thread; an asynchronous one chains on it.
   */
  private <T> CompletableFuture<T> withSession(Exchange ex, Function<Session, CompletableFuture<T>> next) {
    CompletableFuture<Session> f = session(ex);
    if (!ex.sync) {
      return f.thenCompose(next);
    }
    Session s;
    try {
      s = f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableFuture.failedFuture(new TransportException(ex.what + " at " + urlText
          + " was interrupted while waiting for the handshake; it was not sent", 0, ex.notRun(), e));
    } catch (ExecutionException e) {
      return CompletableFuture.failedFuture(e.getCause());
    }
    return next.apply(s);
  }

  /** Single-flight: one handshake future shared by every caller, cleared when it fails. */
  private CompletableFuture<Session> session(Exchange ex) {
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
        handshake(fresh, ex);
        return fresh;
      }
    }
  }

  /** PROTOCOL.md §6: msg1 → msg2 → msg3 → msg4 over two POSTs, both routed by the proposed sid (§15.2). */
  private void handshake(CompletableFuture<Session> fresh, Exchange ex) {
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
    String sid = hs.sessionIdText();
    post(msg1, sid, ex)
        .handle((response, error) -> afterMessage1(hs, sid, response, error, ex))
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

  private CompletableFuture<Session> afterMessage1(ClientHandshake hs, String sid, Response response, Throwable error,
      Exchange ex) {
    try {
      if (error != null) {
        throw handshakeIo(unwrap(error), ex.sync);
      }
      byte[] msg2;
      try (response) {
        int status = response.code();
        if (status == 403) {
          events.wrongSecureKey();
          throw new WrongSecureKeyException(urlText + " rejected the handshake (HTTP 403): this client's SecureKey"
              + " or secureKeyId differs from the server module's (or only one side has a SecureKey), or the URL"
              + " names another module; the call was not sent", 403, null);
        }
        if (status == 415) {
          if (!force) {
            return CompletableFuture.completedFuture(PLAIN);
          }
          events.encryptionNotSupported();
          throw new EncryptionNotSupportedException(urlText + " does not encrypt (HTTP 415 to the handshake) and this"
              + " client forces encryption, so nothing was sent in clear and the call was not sent; enable"
              + " encryption on the server module", 415, null);
        }
        retryIfUnavailable(response, "the handshake");
        if (status == 404 || status >= 500) {
          throw handshakeStatus(response);
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
              + " client's SecureKey differs from the server module's, or the answer was altered; the call was not"
              + " sent", 200, e);
        }
        events.encryptionNotSupported();
        throw new EncryptionNotSupportedException("the handshake answer from " + urlText + " is not a valid Parley"
            + " handshake message (" + e.getMessage() + "); the call was not sent", 200, e);
      }
      return post(msg3, sid, ex)
          .handle((r, err) -> afterMessage3(hs, r, err, ex))
          .thenCompose(Function.identity());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private CompletableFuture<Session> afterMessage3(ClientHandshake hs, Response response, Throwable error, Exchange ex) {
    try {
      if (error != null) {
        throw handshakeIo(unwrap(error), ex.sync);
      }
      byte[] msg4;
      try (response) {
        if (response.code() == 403) {
          // The token expired, msg3 reached another process than msg1, or the server restarted meanwhile.
          throw new RetryLater(urlText + " rejected the second handshake message (HTTP 403)");
        }
        retryIfUnavailable(response, "the handshake");
        if (response.code() != 200) {
          throw handshakeStatus(response);
        }
        msg4 = handshakeBody(response, "the second handshake message");
      }
      try {
        var keys = hs.finish(msg4);   // PROTOCOL.md §6.6, client msg4
        try {
          return CompletableFuture.completedFuture(new Session(ClientChannel.create(keys, maxAge, clock), keys.sessionIdText()));
        } finally {
          keys.destroy();
        }
      } catch (CryptoException e) {
        throw new TransportException("the last handshake message from " + urlText + " failed to verify (altered on"
            + " the way?); the call was not sent, and the next call starts a new handshake", 200, CallOutcome.NOT_RUN, e);
      }
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** PROTOCOL.md §15.5, §15.7: a stopping server, or a proxy with no server behind it: try again later. */
  private void retryIfUnavailable(Response response, String what) {
    int status = response.code();
    if (status == 503 && response.header(ClientModule.DRAINING_HEADER) != null) {
      throw new RetryLater(urlText + " is stopping (HTTP 503, Parley-Draining, to " + what + ")");
    }
    if (status == 502 || status == 503 || status == 504) {
      throw new RetryLater(urlText + " answered " + what + " with HTTP " + status);
    }
  }

  /** An unexpected status to a handshake message: the call itself was not sent. */
  private TransportException handshakeStatus(Response response) {
    TransportException e = ClientModule.statusFailure(response, urlText, "the handshake", events);
    return new TransportException(e.getMessage().replace(" (whether it ran is unknown)", "")
        + "; the call was not sent", e.httpStatus(), CallOutcome.NOT_RUN, null);
  }

  /** A 200 with the handshake content type and a short body; anything else is no handshake answer (§9). */
  private byte[] handshakeBody(Response response, String what) {
    MediaType type = response.body().contentType();
    int status = response.code();
    if (status != 200 || type == null || !HANDSHAKE_TYPE.equals(type.type() + "/" + type.subtype())) {
      events.encryptionNotSupported();
      throw new EncryptionNotSupportedException(urlText + " did not answer " + what + " as a Parley module that"
          + " encrypts (HTTP " + status + ", content type " + (type == null ? "none" : Failures.clean(type.toString(), 80))
          + "); nothing was sent in clear and the call was not sent", status, null);
    }
    try {
      return Bodies.readAtMost(response.body().byteStream(), MAX_HANDSHAKE_ANSWER, "the handshake answer");
    } catch (ClientResponseException e) {
      events.encryptionNotSupported();
      throw new EncryptionNotSupportedException(urlText + " answered " + what + " with a body too long for a"
          + " handshake message; the call was not sent", 200, e);
    } catch (IOException e) {
      events.connectionLost(e);
      throw new RetryLater("reading the handshake answer from " + urlText + " failed (" + Failures.detail(e) + ")");
    }
  }

  /**
   * A handshake message failed without an answer. Handshake messages run nothing, so every failure
   * that a later attempt may overcome is {@link RetryLater}; an unknown host or a TLS failure ends the
   * call (it was not sent).
   */
  private RuntimeException handshakeIo(Throwable error, boolean sync) {
    if (error instanceof Transport.SendFailure f) {
      if (!f.canceled) {
        events.connectionLost(f.io);
      }
      Resend.Next next = Resend.after(f.io, f.written, f.canceled);
      if (next == Resend.Next.NOW) {
        transport.evictIdle();
      }
      if (next != Resend.Next.FAIL) {
        return new RetryLater("cannot reach " + urlText + " for the handshake (" + Failures.detail(f.io) + ")");
      }
      return Failures.io(f.io, urlText, "the handshake", false, sync, CallOutcome.NOT_RUN);
    }
    return error instanceof RuntimeException r ? r : new TransportException("the handshake with " + urlText
        + " failed: " + error + "; the call was not sent", 0, CallOutcome.NOT_RUN, error);
  }

  private CompletableFuture<Response> post(byte[] message, String sid, Exchange ex) {
    Request.Builder request = new Request.Builder()
        .url(url)
        .header("Accept", HANDSHAKE_TYPE)
        .header(ClientModule.SESSION_HEADER, sid)   // PROTOCOL.md §15.2: routes msg1 and msg3 to one process
        .post(RequestBody.create(message, HANDSHAKE));
    // Shared by every caller waiting for this handshake: cancelling one call must not cancel it.
    return transport.send(request, ex.budget, ex.sync, NOT_CANCELLABLE);
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
