package dev.parley.client;

import dev.parley.CallOutcome;
import dev.parley.TransportException;
import dev.parley.client.internal.Bodies;
import dev.parley.crypto.ClientHandshake;
import dev.parley.crypto.CryptoException;
import dev.parley.crypto.HttpBinding;
import dev.parley.crypto.SecureChannel;
import dev.parley.crypto.SecureKey;
import dev.parley.internal.jsonrpc.ClientResponseException;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of the handshake (PROTOCOL.md §6, §15.2): msg1 → msg2 → msg3 → msg4 over two POSTs,
 * both routed by the session id the client proposes. Single-flight: one handshake future is shared by
 * every caller and cleared when it fails; a failure that a later attempt may overcome is
 * {@link RetryLater} (the call itself was not sent). A non-forcing client that meets a module that
 * does not encrypt (415) falls back to plain calls for good ({@link #fellBack()}).
 */
final class Handshaker {
  private static final Logger LOG = LoggerFactory.getLogger(ClientModule.class);

  private static final MediaType HANDSHAKE = MediaType.get(HttpBinding.HANDSHAKE_TYPE);
  private static final int MAX_HANDSHAKE_ANSWER = 2048;

  private final Transport transport;
  private final HttpUrl url;
  private final String urlText;
  private final String route;
  private final SecureKey secureKey;
  private final int encryptionKey;
  private final boolean force;
  private final Events events;
  private final SecureRandom random = new SecureRandom();
  private final AtomicReference<CompletableFuture<ClientSession>> current = new AtomicReference<>();
  private final AtomicInteger handshakes = new AtomicInteger();
  private volatile boolean plain;
  private volatile Duration maxAge = SecureChannel.DEFAULT_MAX_AGE;
  private volatile Clock clock = Clock.systemUTC();

  Handshaker(Transport transport, HttpUrl url, SecureKey secureKey, int encryptionKey, boolean force, Events events) {
    this.transport = transport;
    this.url = url;
    this.urlText = url.toString();
    this.route = url.encodedPath();   // PROTOCOL.md §5: the module route as the server module has it
    this.secureKey = secureKey;
    this.encryptionKey = encryptionKey;
    this.force = force;
    this.events = events;
  }

  /** TEST HOOK: the session maximum age (PROTOCOL.md §12.4) and the clock it is counted on. */
  void maxAge(Duration maxAge, Clock clock) {
    this.maxAge = maxAge;
    this.clock = clock;
  }

  /** True once the module fell back to plain calls (never for a forcing client). */
  boolean fellBack() {
    return plain;
  }

  /** Handshakes started so far (tests, diagnostics). */
  int handshakes() {
    return handshakes.get();
  }

  /** The current session, if a handshake completed and it was not dropped. */
  ClientSession currentSession() {
    CompletableFuture<ClientSession> f = current.get();
    if (f == null || !f.isDone() || f.isCompletedExceptionally()) {
      return null;
    }
    ClientSession s = f.join();
    return s == ClientSession.PLAIN || s.isDropped() ? null : s;
  }

  /** Forgets {@code session} if it is the current one (the next call starts a new handshake). */
  void forget(ClientSession session) {
    CompletableFuture<ClientSession> f = current.get();
    if (f != null && f.isDone() && !f.isCompletedExceptionally() && f.join() == session) {
      current.compareAndSet(f, null);
    }
  }

  /** Drops the current session for good (the module is closing). */
  void close() {
    CompletableFuture<ClientSession> f = current.getAndSet(null);
    if (f != null && f.isDone() && !f.isCompletedExceptionally() && f.join() != ClientSession.PLAIN) {
      f.join().drop();
    }
  }

  /**
   * The current session, or the one handshake that makes it: a caller that starts it runs it with its
   * own budget (on its thread when synchronous); every other caller shares it.
   */
  CompletableFuture<ClientSession> session(CallBudget budget, boolean sync) {
    for (;;) {
      CompletableFuture<ClientSession> f = current.get();
      if (f != null) {
        if (!f.isCompletedExceptionally()) {
          return f;
        }
        current.compareAndSet(f, null);
        continue;
      }
      CompletableFuture<ClientSession> fresh = new CompletableFuture<>();
      if (current.compareAndSet(null, fresh)) {
        handshake(fresh, budget, sync);
        return fresh;
      }
    }
  }

  private void handshake(CompletableFuture<ClientSession> fresh, CallBudget budget, boolean sync) {
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
    post(msg1, sid, budget, sync)
        .handle((response, error) -> afterMessage1(hs, sid, response, error, budget, sync))
        .thenCompose(Function.identity())
        .whenComplete((session, error) -> {
          if (error != null) {
            fail(fresh, Failures.unwrap(error), hs);
          } else if (session == ClientSession.PLAIN) {
            hs.destroy();
            plain = true;
            LOG.info("{} does not encrypt (HTTP 415 to the handshake); this client does not force encryption,"
                + " so it calls it in plain JSON-RPC from now on", urlText);
            fresh.complete(ClientSession.PLAIN);
          } else {
            events.sessionOpen(session.sid);
            fresh.complete(session);
          }
        });
  }

  private void fail(CompletableFuture<ClientSession> fresh, Throwable error, ClientHandshake hs) {
    if (hs != null) {
      hs.destroy();
    }
    current.compareAndSet(fresh, null);   // the next call starts a new handshake
    fresh.completeExceptionally(error);
  }

  private CompletableFuture<ClientSession> afterMessage1(ClientHandshake hs, String sid, Response response,
      Throwable error, CallBudget budget, boolean sync) {
    try {
      if (error != null) {
        throw handshakeIo(Failures.unwrap(error), sync);
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
            return CompletableFuture.completedFuture(ClientSession.PLAIN);
          }
          events.encryptionNotSupported();
          throw new EncryptionNotSupportedException(urlText + " does not encrypt (HTTP 415 to the handshake) and this"
              + " client forces encryption, so nothing was sent in clear and the call was not sent; enable"
              + " encryption on the server module", 415, null);
        }
        retryIfUnavailable(response);
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
      return post(msg3, sid, budget, sync)
          .handle((r, err) -> afterMessage3(hs, r, err, sync))
          .thenCompose(Function.identity());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private CompletableFuture<ClientSession> afterMessage3(ClientHandshake hs, Response response, Throwable error,
      boolean sync) {
    try {
      if (error != null) {
        throw handshakeIo(Failures.unwrap(error), sync);
      }
      byte[] msg4;
      try (response) {
        if (response.code() == 403) {
          // The token expired, msg3 reached another process than msg1, or the server restarted meanwhile.
          throw new RetryLater(urlText + " rejected the second handshake message (HTTP 403)");
        }
        retryIfUnavailable(response);
        if (response.code() != 200) {
          throw handshakeStatus(response);
        }
        msg4 = handshakeBody(response, "the second handshake message");
      }
      try {
        var keys = hs.finish(msg4);   // PROTOCOL.md §6.6, client msg4
        try {
          return CompletableFuture.completedFuture(
              new ClientSession(SecureChannel.client(keys, maxAge, clock), keys.sessionIdText()));
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
  private void retryIfUnavailable(Response response) {
    int status = response.code();
    if (status == 503 && response.header(HttpBinding.DRAINING_HEADER) != null) {
      throw new RetryLater(urlText + " is stopping (HTTP 503, Parley-Draining, to the handshake)");
    }
    if (status == 502 || status == 503 || status == 504) {
      throw new RetryLater(urlText + " answered the handshake with HTTP " + status);
    }
  }

  /** An unexpected status to a handshake message: the call itself was not sent. */
  private TransportException handshakeStatus(Response response) {
    TransportException e = Failures.status(response, urlText, "the handshake", events);
    return new TransportException(e.getMessage().replace(" (whether it ran is unknown)", "")
        + "; the call was not sent", e.httpStatus(), CallOutcome.NOT_RUN, null);
  }

  /** A 200 with the handshake content type and a short body; anything else is no handshake answer (§9). */
  private byte[] handshakeBody(Response response, String what) {
    MediaType type = response.body().contentType();
    int status = response.code();
    if (status != 200 || type == null || !HttpBinding.HANDSHAKE_TYPE.equals(type.type() + "/" + type.subtype())) {
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

  private CompletableFuture<Response> post(byte[] message, String sid, CallBudget budget, boolean sync) {
    Request.Builder request = new Request.Builder()
        .url(url)
        .header("Accept", HttpBinding.HANDSHAKE_TYPE)
        .header(HttpBinding.SESSION_HEADER, sid)   // PROTOCOL.md §15.2: routes msg1 and msg3 to one process
        .post(RequestBody.create(message, HANDSHAKE));
    // Shared by every caller waiting for this handshake: cancelling one call must not cancel it.
    return transport.send(request, budget, sync, call -> { });
  }
}
