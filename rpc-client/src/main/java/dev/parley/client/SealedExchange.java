package dev.parley.client;

import dev.parley.CallOutcome;
import dev.parley.Compression;
import dev.parley.TransportException;
import dev.parley.client.internal.Bodies;
import dev.parley.client.internal.SealedFrameBody;
import dev.parley.crypto.ClientChannel;
import dev.parley.crypto.CryptoException;
import dev.parley.crypto.HttpBinding;
import dev.parley.crypto.RequestMetadata;
import dev.parley.crypto.SecureKey;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.Response;
import okio.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sealed calls on an encrypted session (PROTOCOL.md §10, §15.3): a session from the
 * {@link Handshaker}, checked first by the {@link SessionProbe} when it may be gone, the call sealed
 * and sent, and what the client may conclude from each answer (§13.3, §15.5, §15.7), with the
 * re-sends of docs/CLIENT.md "Outcomes and re-sends". A non-forcing client that met a module that
 * does not encrypt sends through {@code plain} instead.
 *
 * <p>Every exchange is written once as a chain of {@link CompletableFuture}s over a {@link Transport}
 * that either executes on the caller's thread (synchronous calls: the chain completes before
 * {@link #send} returns, nothing hops threads) or enqueues on OkHttp's dispatcher (asynchronous
 * calls: nothing ever blocks a dispatcher thread waiting for a handshake).
 */
final class SealedExchange implements Exchange, AutoLogin.Sender {
  private static final Logger LOG = LoggerFactory.getLogger(ClientModule.class);
  private static final MediaType SEALED = MediaType.get(HttpBinding.SEALED_TYPE);
  /** PROTOCOL.md §11: at most 1024 requests in flight per session (the replay window is 4×). */
  static final int MAX_IN_FLIGHT = 1024;
  /** PROTOCOL.md §13.3: a reject is accepted only this soon after the request was sealed. */
  static final Duration REJECT_HORIZON = Duration.ofSeconds(60);
  private static final String METHOD = "POST";
  private static final int MAX_REJECT = 1024;
  private static final ClientInterceptor[] NO_INTERCEPTORS = {};

  private final Transport transport;
  private final PlainExchange plain;
  private final HttpUrl url;
  private final String urlText;
  private final String route;
  private final SecureKey secureKey;
  private final boolean autoRepost;
  private final long probeAfterIdleNanos;
  private final Compression compression;
  private final Events events;
  private final Handshaker handshaker;
  private final SealedAnswers answers;
  private final SessionProbe probe;
  private final AutoLogin login;   // null: no auto-login
  private final Duration callTimeout;   // a login's and a keep-alive ping's
  private final Semaphore syncSlots = new Semaphore(MAX_IN_FLIGHT);
  private final String settings;
  private volatile long rejectHorizonNanos = REJECT_HORIZON.toNanos();
  /** A call was sealed since the last keep-alive tick ({@link SessionPinger}). */
  volatile boolean sealedSinceTick;

  SealedExchange(Transport transport, PlainExchange plain, HttpUrl url, SecureKey secureKey, int encryptionKey,
      boolean force, boolean autoRepost, Duration probeAfterIdle, Compression compression, long maxBodyBytes,
      Events events, AutoLogin login, Duration callTimeout) {
    this.transport = transport;
    this.callTimeout = callTimeout;
    this.login = login;
    this.plain = plain;
    this.url = url;
    this.urlText = url.toString();
    this.route = url.encodedPath();   // PROTOCOL.md §5, §10.4: the module route as the server module has it
    this.secureKey = secureKey;
    this.autoRepost = autoRepost;
    this.probeAfterIdleNanos = probeAfterIdle.toNanos();
    this.compression = compression;
    this.events = events;
    this.settings = "encryptionKey=" + encryptionKey + ", force=" + force + ", autoRepost=" + autoRepost
        + ", keyId=" + (secureKey.isNone() ? "none" : secureKey.keyId());
    this.handshaker = new Handshaker(transport, url, secureKey, encryptionKey, force, events);
    this.answers = new SealedAnswers(urlText, route, maxBodyBytes, events);
    this.probe = new SessionProbe(transport, url, events, answers, session -> drop(session, true));
  }

  /** TEST HOOK: another reject horizon (PROTOCOL.md §13.3). */
  void rejectHorizon(Duration horizon) {
    this.rejectHorizonNanos = horizon.toNanos();
  }

  Handshaker handshaker() {
    return handshaker;
  }

  /** Session probes (pings) sent so far (tests, diagnostics). */
  int probes() {
    return probe.probes();
  }

  /** True once the module fell back to plain calls (never for a forcing client). */
  boolean fellBack() {
    return handshaker.fellBack();
  }

  /** The current session id, if a handshake completed. */
  String sessionId() {
    ClientSession s = handshaker.currentSession();
    return s == null ? null : s.sid;
  }

  void close() {
    handshaker.close();
  }

  /** The settings, never a secret (tests). */
  String settings() {
    return settings;
  }

  @Override
  public CompletableFuture<Answer> send(Buffer json, ClientCall call, String what, boolean expectsAnswer, boolean sync) {
    if (handshaker.fellBack()) {
      return plain.send(json, call, what, expectsAnswer, sync);
    }
    return start(new SealedCall(sync, json, call, what, expectsAnswer));
  }

  @Override
  public CompletableFuture<Answer> sendLogin(Buffer json, String function, ClientSession session, boolean sync) {
    // Not idempotent, no interceptors, the module's call timeout (docs/CLIENT.md "Auto-login").
    ClientCall call = new ClientCall(function, false, false, false, url.uri(), callTimeout, false, NO_INTERCEPTORS);
    SealedCall c = new SealedCall(sync, json, call, "the login '" + function + "'", true);
    c.pinned = session;
    return start(c);
  }

  /** The keep-alive ping (§15.4) of {@code session}: completes once it is known held or dropped. */
  CompletableFuture<Void> ping(ClientSession session) {
    return probe.check(session, new CallBudget(callTimeout, "the call timeout", true), false,
        "the keep-alive ping at " + urlText);
  }

  /** Forgets the login of the current session: the next call logs in again first. */
  void resetLogin() {
    ClientSession s = handshaker.currentSession();
    if (s != null) {
      s.loggedIn = false;
    }
  }

  private CompletableFuture<Answer> start(SealedCall c) {
    boolean slot = false;
    boolean sync = c.sync;
    String what = c.what;
    if (sync && c.pinned == null) {   // a login runs inside a call that holds a slot already
      try {
        syncSlots.acquire();   // PROTOCOL.md §11: at most 1024 calls in flight
        slot = true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        c.result.completeExceptionally(new TransportException(what + " at " + urlText + " was interrupted before it"
            + " was sent", 0, CallOutcome.NOT_RUN, e));
        return c.result;
      }
    }
    try {
      attempt(c, 1).whenComplete((answer, error) -> {
        if (error != null) {
          c.result.completeExceptionally(Failures.unwrap(error));
        } else if (!c.result.complete(answer)) {
          answer.close();   // cancelled meanwhile
        }
      });
    } finally {
      if (slot) {
        syncSlots.release();
      }
    }
    return c.result;
  }

  /** One attempt: a usable session (handshake, probe), then the sealed call. */
  private CompletableFuture<Answer> attempt(SealedCall c, int sealRetries) {
    return withSession(c, session -> {
      if (session == ClientSession.PLAIN) {
        return c.plain(plain);
      }
      if (c.pinned != null && session != c.pinned) {
        return CompletableFuture.failedFuture(new AutoLogin.SessionReplaced());   // a login counts for its session only
      }
      if (!session.acquire()) {
        return attempt(c, sealRetries);   // dropped meanwhile: the next session
      }
      if (session != c.probed && session.needsProbe(probeAfterIdleNanos)) {
        // PROTOCOL.md §13.4: check the session before sealing a call on it (once per call and session).
        session.release();
        return probe.check(session, c.budget, c.sync, c.what + " at " + urlText).thenCompose(v -> {
          c.probed = session;   // held (or dropped): no second ping for this call on it
          return attempt(c, sealRetries);
        });
      }
      if (login != null && c.pinned == null && !session.loggedIn) {
        // RTC's AutoLogin: the session's login comes before any other call sealed on it.
        session.release();
        return login.ensure(session, c.sync, c.budget, c.what + " at " + urlText, this)
            .thenCompose(v -> attempt(c, sealRetries));
      }
      return sealAndSend(c, session, sealRetries);
    }).handle((answer, error) -> error == null ? CompletableFuture.completedFuture(answer)
        : beforeSealing(c, error, sealRetries))
        .thenCompose(Function.identity());
  }

  /** Runs {@code next} with the current session: a synchronous caller waits for the handshake on its thread. */
  private CompletableFuture<Answer> withSession(SealedCall c, Function<ClientSession, CompletableFuture<Answer>> next) {
    CompletableFuture<ClientSession> f = handshaker.session(c.budget, c.sync);
    if (!c.sync) {
      return f.thenCompose(next);
    }
    ClientSession s;
    try {
      s = f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableFuture.failedFuture(new TransportException(c.what + " at " + urlText
          + " was interrupted while waiting for the handshake; it was not sent", 0, c.notRun(), e));
    } catch (ExecutionException e) {
      return CompletableFuture.failedFuture(e.getCause());
    }
    return next.apply(s);
  }

  /** A failure before the call was sealed (handshake, probe) or the call's own final failure. */
  private CompletableFuture<Answer> beforeSealing(SealedCall c, Throwable error, int sealRetries) {
    Throwable t = Failures.unwrap(error);
    if (t instanceof RetryLater retry) {
      return transport.later(c.budget, c.sync, c.what, retry.getMessage(), () -> attempt(c, sealRetries));
    }
    if (t instanceof TransportException e && e.outcome() == CallOutcome.NOT_RUN && c.budget.maybeRan) {
      // The handshake failed after an earlier attempt of this call may have run.
      return CompletableFuture.failedFuture(new TransportException(e.getMessage() + "; an earlier attempt of "
          + c.what + " may have run, so whether it ran is unknown", e.httpStatus(), CallOutcome.UNKNOWN, e));
    }
    return CompletableFuture.failedFuture(t);
  }

  private CompletableFuture<Answer> sealAndSend(SealedCall c, ClientSession session, int sealRetries) {
    ClientChannel.Sealed sealed;
    try {
      // PROTOCOL.md §15.4: the deadline (what is left of the timeout) and trace context sealed with the call.
      RequestMetadata metadata = c.outgoing.metadata(c.budget);
      byte[] plaintext = metadata.isEmpty() ? c.plaintext(compression)
          : HttpBinding.withMetadata(c.plaintext(compression), metadata);
      sealed = session.channel.sealRequest(METHOD, route, plaintext);   // PROTOCOL.md §10.5
    } catch (CryptoException e) {
      // PROTOCOL.md §12: LIMIT (counter, epoch or age): this session is used up; handshake anew.
      session.release();
      drop(session, false);
      if (sealRetries > 0) {
        return attempt(c, sealRetries - 1);
      }
      return CompletableFuture.failedFuture(new TransportException("cannot seal " + c.what + " for "
          + urlText + " even on a new session (" + e.getMessage() + "); it was not sent", 0, c.notRun(), e));
    }
    // Only the counter, the tag and the time outlive the send: the body lets go of the frame once written.
    long counter = sealed.counter();
    byte[] tag = sealed.tag();
    long sealedAt = System.nanoTime();
    sealedSinceTick = true;
    // PROTOCOL.md §15.3: Content-Type and Parley-Session, nothing more.
    Request.Builder request = new Request.Builder()
        .url(url)
        .header(HttpBinding.SESSION_HEADER, session.sid)
        .post(new SealedFrameBody(sealed.frame(), SEALED));
    int attempt = c.outgoing.attemptStarting();
    return transport.send(request, c.budget, c.sync, c.current)
        .handle((response, error) -> {
          c.outgoing.attemptEnded(attempt, error == null ? response.code() : 0, error == null ? null : Failures.unwrap(error));
          return answered(c, session, counter, tag, sealedAt, response, error);
        })
        .thenCompose(Function.identity());
  }

  private CompletableFuture<Answer> answered(SealedCall c, ClientSession session, long counter, byte[] tag, long sealedAt,
      Response response, Throwable error) {
    boolean released = false;
    try {
      if (error != null) {
        session.suspect = true;   // the server may have gone or restarted: probe before the next seal
        session.release();
        released = true;
        // Sent again by the rule of Resend, sealed anew each time (never a byte-identical resend, §11).
        return transport.afterFailure(c.budget, Failures.unwrap(error), c.sync, c.what, events, () -> attempt(c, 1));
      }
      try (response) {
        int status = response.code();
        if (status == 200) {
          c.answered();
          Bodies.Slice json = answers.open(session, counter, 200, response, c.what, c.sync);
          session.verified();
          if (json.isEmpty() && c.expectsAnswer) {
            throw new TransportException(urlText + " answered " + c.what + " with an empty sealed answer;"
                + " a call needs a JSON-RPC response (whether it ran is unknown)", 200, CallOutcome.UNKNOWN, null);
          }
          return CompletableFuture.completedFuture(Answer.sealed(json));
        }
        if (status == 503 && Bodies.hasMediaType(response.header("Content-Type"), HttpBinding.SEALED_TYPE)) {
          return draining(c, session, counter, response);
        }
        if (status == 410) {
          byte[] reject = readQuietly(response);
          ClientChannel.RejectCheck check = reject == null ? ClientChannel.RejectCheck.INVALID
              : session.channel.checkReject(reject, counter, tag, route);
          boolean inTime = System.nanoTime() - sealedAt < rejectHorizonNanos;
          session.release();
          released = true;
          drop(session, true);
          return afterReject(c, check, inTime);
        }
        if (status == 400) {
          throw new TransportException(urlText + " answered the sealed request of " + c.what + " with HTTP 400"
              + " (frame rejected: altered on the way, a copy of a request already accepted, or malformed); no key"
              + " authenticates a 400, so whether it ran is unknown; the session is kept", 400, CallOutcome.UNKNOWN, null);
        }
        if (status >= 500) {
          // A proxy that lost the server (502, 504) or a server in trouble: it may be gone or
          // replaced, so check the session before the next call is sealed on it (§13.4).
          session.suspect = true;
        }
        throw Failures.status(response, urlText, c.what, events);
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
  private CompletableFuture<Answer> draining(SealedCall c, ClientSession session, long counter, Response response) {
    try {
      answers.open(session, counter, 503, response, c.what, c.sync);
    } catch (TransportException e) {
      throw new TransportException(urlText + " answered " + c.what + " with an HTTP 503 whose sealed body does not"
          + " authenticate; whether it ran is unknown", 503, CallOutcome.UNKNOWN, e);
    }
    drop(session, true);
    LOG.debug("{} is stopping and did not run {}; sending it again on a new session", urlText, c.what);
    return transport.later(c.budget, c.sync, c.what, urlText + " is stopping (it answered an authenticated 503:"
        + " not run)", () -> attempt(c, 1));
  }

  /** PROTOCOL.md §13.3: what a 410 proves; at most one repost per call, never a loop. */
  private CompletableFuture<Answer> afterReject(SealedCall c, ClientChannel.RejectCheck check, boolean inTime) {
    // In the unauthenticated mode a man in the middle may hold the session's reject key (§8).
    boolean verified = check == ClientChannel.RejectCheck.VERIFIED && inTime && !secureKey.isNone();
    c.allVerified &= verified;
    CallOutcome outcome = c.allVerified ? c.notRun() : CallOutcome.UNKNOWN;
    String said = outcome == CallOutcome.NOT_RUN ? "it did not run (the session's own server instance proved it)"
        : "whether it ran is unknown";
    if (c.reposted) {
      return CompletableFuture.failedFuture(new SessionLostException(urlText + " did not know the new session"
          + " either (HTTP 410 again after a new handshake) for " + c.what + "; it was not sent a third time: "
          + said, outcome));
    }
    if (!autoRepost) {
      return CompletableFuture.failedFuture(new SessionLostException(urlText + " no longer knows the session"
          + " (HTTP 410) for " + c.what + " and autoRepost is off, so it was not sent again: " + said
          + "; the next call runs a new handshake", outcome));
    }
    if (!verified && !c.budget.idempotent) {
      return CompletableFuture.failedFuture(new SessionLostException(urlText + " answered " + c.what
          + " with an HTTP 410 that " + unverifiedBecause(check, inTime) + ", and it is not idempotent, so it was not"
          + " sent again: whether it ran is unknown; the next call runs a new handshake", CallOutcome.UNKNOWN));
    }
    if (!verified) {
      c.budget.maybeRan = true;
    }
    c.reposted = true;
    events.repost(c.function);
    return attempt(c, 1);   // re-sealed on a new session with a new counter
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

  private void drop(ClientSession session, boolean expired) {
    handshaker.forget(session);
    if (session.drop() && expired) {
      events.sessionExpired(session.sid);
    }
  }

  private static byte[] readQuietly(Response response) {
    try {
      return Bodies.readAtMost(response.body().byteStream(), MAX_REJECT, "the reject");
    } catch (java.io.IOException e) {
      return null;
    }
  }
}
