package dev.parley.client;

import dev.parley.TransportException;
import dev.parley.client.internal.Bodies;
import dev.parley.client.internal.SealedFrameBody;
import dev.parley.crypto.CryptoException;
import dev.parley.crypto.HttpBinding;
import dev.parley.crypto.SecureChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.Response;

/**
 * PROTOCOL.md §13.4, §15.4: checks a session before a call is sealed on it, with an empty sealed
 * request that runs nothing (a ping). One ping per session at a time; concurrent callers wait for it.
 * It completes when the session is known to be held (a verified empty answer) or has been dropped
 * (so the next attempt runs a new handshake), and fails with {@link RetryLater} when neither could be
 * learned yet (the server is unreachable): the caller waits and tries again.
 */
final class SessionProbe {
  private static final MediaType SEALED = MediaType.get(HttpBinding.SEALED_TYPE);
  private static final String METHOD = "POST";

  private enum Result { HELD, DROP, DROPPED, RETRY }

  private final Transport transport;
  private final HttpUrl url;
  private final String route;
  private final Events events;
  private final SealedAnswers answers;
  private final Consumer<ClientSession> drop;
  private final AtomicInteger probes = new AtomicInteger();

  /** {@code drop} forgets a session that turned out unusable (and fires its event). */
  SessionProbe(Transport transport, HttpUrl url, Events events, SealedAnswers answers, Consumer<ClientSession> drop) {
    this.transport = transport;
    this.url = url;
    this.route = url.encodedPath();
    this.events = events;
    this.answers = answers;
    this.drop = drop;
  }

  /** Pings sent so far (tests, diagnostics). */
  int probes() {
    return probes.get();
  }

  CompletableFuture<Void> check(ClientSession session, CallBudget budget, boolean sync, String what) {
    CompletableFuture<Void> mine = new CompletableFuture<>();
    CompletableFuture<Void> running = session.probe.compareAndExchange(null, mine);
    if (running != null) {
      return sync ? await(running, budget, what) : running;
    }
    probes.incrementAndGet();
    if (!session.acquire()) {
      finish(session, mine, Result.DROPPED);
      return mine;
    }
    CompletableFuture<Result> sent;
    try {
      SecureChannel.Sealed ping = session.channel.sealRequest(METHOD, route, new byte[0]);
      Request.Builder request = new Request.Builder()
          .url(url)
          .header(HttpBinding.SESSION_HEADER, session.sid)
          .post(new SealedFrameBody(ping.frame(), SEALED));
      sent = transport.send(request, budget, sync, call -> { })   // other callers may wait for it
          .handle((response, error) -> answered(session, ping.counter(), response, error, sync));
    } catch (CryptoException e) {
      sent = CompletableFuture.completedFuture(Result.DROP);   // the session is used up
    }
    sent.whenComplete((r, e) -> {
      session.release();
      finish(session, mine, e != null ? Result.RETRY : r);
    });
    return mine;
  }

  private CompletableFuture<Void> await(CompletableFuture<Void> running, CallBudget budget, String what) {
    try {
      running.get(Math.max(1, budget.remainingNanos()), TimeUnit.NANOSECONDS);
      return CompletableFuture.completedFuture(null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableFuture.failedFuture(new TransportException(what + " was interrupted while the session was"
          + " being checked", 0, Resend.notRun(budget), e));
    } catch (ExecutionException e) {
      return CompletableFuture.failedFuture(e.getCause());
    } catch (TimeoutException e) {
      return CompletableFuture.failedFuture(new RetryLater("the session check took too long"));
    }
  }

  private void finish(ClientSession session, CompletableFuture<Void> probe, Result result) {
    session.probe.compareAndSet(probe, null);
    switch (result) {
      case HELD -> {
        session.verified();
        probe.complete(null);
      }
      case DROP -> {
        drop.accept(session);
        probe.complete(null);
      }
      case DROPPED -> probe.complete(null);
      default -> probe.completeExceptionally(new RetryLater("the session's server could not be reached to check"
          + " the session"));
    }
  }

  private Result answered(ClientSession session, long counter, Response response, Throwable error, boolean sync) {
    if (error != null) {
      if (Failures.unwrap(error) instanceof Transport.SendFailure f) {
        if (!f.canceled) {
          events.connectionLost(f.io);
        }
        Resend.Next next = Resend.after(f.io, f.written, f.canceled);
        if (next == Resend.Next.NOW) {
          transport.evictIdle();
        }
        // A ping runs nothing: whatever happened to it, try again later; a hopeless failure (unknown
        // host, TLS) drops the session, and the handshake that follows reports it.
        return next == Resend.Next.FAIL ? Result.DROP : Result.RETRY;
      }
      return Result.RETRY;
    }
    try (response) {
      int status = response.code();
      if (status == 200) {
        try {
          answers.open(session, counter, 200, response, "the session check", sync);
          return Result.HELD;
        } catch (TransportException e) {
          return Result.DROP;
        }
      }
      if (status == 502 || status == 504 || (status == 503 && response.header(HttpBinding.DRAINING_HEADER) == null
          && !Bodies.hasMediaType(response.header("Content-Type"), HttpBinding.SEALED_TYPE))) {
        return Result.RETRY;   // a proxy without a reachable server: it may come back
      }
      return Result.DROP;   // 410, 400, a draining 503, anything else: the session is not usable
    }
  }
}
