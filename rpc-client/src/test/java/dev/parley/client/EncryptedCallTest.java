package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.CallOutcome;
import dev.parley.Compression;
import dev.parley.TransportException;
import dev.parley.crypto.SecureKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EncryptedCallTest {
  static final String KEY_HEX = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
  static final String OTHER_KEY_HEX = "ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

  @RegisterExtension
  final Closer closer = new Closer();
  private final List<String> events = new CopyOnWriteArrayList<>();

  private final ClientListener recorder = new ClientListener() {
    @Override public void onSessionOpen(String sid) { events.add("open"); }
    @Override public void onSessionExpired(String sid) { events.add("expired"); }
    @Override public void onWrongSecureKey() { events.add("wrongKey"); }
    @Override public void onEncryptionNotSupported() { events.add("notSupported"); }
    @Override public void onEncryptionRequired() { events.add("required"); }
    @Override public void onRepost(String function) { events.add("repost " + function); }
    @Override public void onConnectionLost(java.io.IOException e) { events.add("connectionLost"); }
  };

  private SecureTestServer server(String keyHex) throws Exception {
    SecureTestServer s = new SecureTestServer(SecureKey.parse(keyHex), true);
    closer.track(s);
    return s;
  }

  private ClientModule client(SecureTestServer server, ClientModule.Builder builder) {
    ClientModule c = builder.listener(recorder).build();
    closer.track(c);
    return c;
  }

  private ClientModule keyed(SecureTestServer server) {
    return client(server, ClientModule.builder(server.url()).secureKey(KEY_HEX));
  }

  /** A keyed client that made one call, so its session is open. */
  private ClientModule keyedWithASession(SecureTestServer server) {
    ClientModule calc = keyed(server);
    assertEquals(2, calc.call("add", add(1, 1), Integer.class));
    return calc;
  }

  private static Map<String, Object> add(int a, int b) {
    return Map.of("a", a, "b", b);
  }

  @Test
  void firstCallHandshakesThenRunsSealed() throws Exception {
    SecureTestServer server = server(KEY_HEX);
    ClientModule calc = keyed(server);
    assertEquals(3, calc.call("add", add(1, 2), Integer.class));
    assertEquals(7, calc.call("add", add(3, 4), Integer.class));
    assertEquals(1, server.msg1.get());
    assertEquals(1, server.msg3.get());
    assertEquals(2, server.sealed.get());
    assertEquals(List.of("open"), events);
    assertTrue(calc.sessionId().isPresent());
  }

  @Test
  void asyncCallsNotificationsAndBatchesRunSealed() throws Exception {
    SecureTestServer server = server(KEY_HEX);
    ClientModule calc = keyed(server);
    assertEquals(5, calc.callAsync("add", add(2, 3), Integer.class).join());
    calc.notify("log", Map.of("m", "x"));
    calc.notifyAsync("log", Map.of("m", "y")).join();
    Batch batch = calc.batch();
    CompletableFuture<Integer> a = batch.call("add", add(1, 1), Integer.class);
    CompletableFuture<String> b = batch.call("echo", Map.of("s", "hi"), String.class);
    batch.notify("log", Map.of("m", "z"));
    batch.execute();
    assertEquals(2, a.join());
    assertEquals("hi", b.join());
    Batch onlyNotes = calc.batch();
    onlyNotes.notify("log", Map.of("m", "w"));
    onlyNotes.executeAsync().join();
    assertEquals(4, server.runs("log"));
    assertEquals(0, server.plainCalls.get());
    assertEquals(1, server.msg1.get());
  }

  @Test
  void concurrentFirstCallsShareOneHandshake() throws Exception {
    SecureTestServer server = server(KEY_HEX);
    ClientModule calc = keyed(server);
    int threads = 16;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        int n = i;
        results.add(pool.submit(() -> {
          start.await();
          return calc.call("add", add(n, 1), Integer.class);
        }));
      }
      List<CompletableFuture<Integer>> async = new ArrayList<>();
      start.countDown();
      for (int i = 0; i < threads; i++) {
        async.add(calc.callAsync("add", add(i, 2), Integer.class));
      }
      for (int i = 0; i < threads; i++) {
        assertEquals(i + 1, results.get(i).get());
        assertEquals(i + 2, async.get(i).join());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, server.msg1.get());
    assertEquals(1, calc.handshakes());
    assertEquals(2 * threads, server.runs("add"));
  }

  @Test
  void forcingClientNeverSendsPlainJson() throws Exception {
    SecureTestServer server = server(KEY_HEX);
    ClientModule calc = keyed(server);
    calc.call("add", add(1, 2), Integer.class);
    calc.notify("log", List.of("x"));
    server.forgetSessions();
    calc.call("add", add(1, 2), Integer.class);
    assertFalse(server.contentTypes.isEmpty());
    assertTrue(server.contentTypes.stream().noneMatch(t -> t.startsWith("application/json")), server.contentTypes::toString);
  }

  @Test
  void wrongSecureKeyFailsWithItsExceptionAndEvent() throws Exception {
    SecureTestServer server = server(OTHER_KEY_HEX);
    ClientModule calc = keyed(server);
    WrongSecureKeyException e = assertThrows(WrongSecureKeyException.class, () -> calc.call("add", add(1, 2), Integer.class));
    assertEquals(403, e.httpStatus());
    assertEquals(List.of("wrongKey"), events);
    assertFalse(e.getMessage().contains(KEY_HEX));
    assertEquals(0, server.runs("add"));
  }

  @Test
  void asyncCallOnWrongSecureKeyFailsTheFuture() throws Exception {
    SecureTestServer server = server(OTHER_KEY_HEX);
    ClientModule calc = keyed(server);
    CompletionException e = assertThrows(CompletionException.class, () -> calc.callAsync("add", add(1, 2), Integer.class).join());
    assertInstanceOf(WrongSecureKeyException.class, e.getCause());
  }

  @Test
  void forcingClientMeetingAPlainModuleFailsWithEncryptionNotSupported() throws Exception {
    SecureTestServer server = SecureTestServer.plain();
    closer.track(server);
    ClientModule calc = keyed(server);
    assertThrows(EncryptionNotSupportedException.class, () -> calc.call("add", add(1, 2), Integer.class));
    assertEquals(List.of("notSupported"), events);
    assertEquals(0, server.plainCalls.get());
  }

  @Test
  void nonForcingClientFallsBackToPlainOnceAndRemembersIt() throws Exception {
    SecureTestServer server = SecureTestServer.plain();
    closer.track(server);
    ClientModule calc = client(server, ClientModule.builder(server.url()).encryptionKey(32).allowUnauthenticated(true));
    assertEquals(3, calc.call("add", add(1, 2), Integer.class));
    assertEquals(5, calc.callAsync("add", add(2, 3), Integer.class).join());
    assertEquals(1, calc.handshakes());
    assertEquals(2, server.plainCalls.get());
    assertFalse(calc.isEncrypting());
  }

  /**
   * A client with one sealed call done, whose module then forgets the session and answers the next
   * handshake 415 (it stopped encrypting). Only a client that does not force encryption falls back:
   * unauthenticated (no SecureKey), so a 410 proves nothing and only an idempotent call is reposted.
   */
  private ClientModule clientWhoseModuleStopsEncrypting(SecureTestServer server, Compression compression) {
    closer.track(server);
    ClientModule calc = client(server, ClientModule.builder(server.url()).encryptionKey(32)
        .allowUnauthenticated(true).compression(compression));
    assertEquals(2, calc.call("add", add(1, 1), Integer.class));
    server.forgetSessions();
    server.msg1Status = 415;
    return calc;
  }

  @Test
  void aRepostThatMeetsAModuleNoLongerEncryptingGoesPlainWithTheCallsOwnBody() throws Exception {
    SecureTestServer server = new SecureTestServer(SecureKey.none(), false);
    ClientModule calc = clientWhoseModuleStopsEncrypting(server, Compression.FAST);
    String big = "z".repeat(3000);   // deflated inside the sealed plaintext, so the fallback inflates it back
    assertEquals(big, calc.<String>call("echo", Map.of("s", big), String.class, true));
    assertEquals(1, server.plainCalls.get());
    assertEquals(1, server.runs("echo"));
    assertFalse(calc.isEncrypting());
    assertEquals(List.of("open", "expired", "repost echo"), events);
  }

  @Test
  void anAsyncRepostThatMeetsAModuleNoLongerEncryptingGoesPlainWithTheCallsOwnBody() throws Exception {
    SecureTestServer server = new SecureTestServer(SecureKey.none(), false);
    ClientModule calc = clientWhoseModuleStopsEncrypting(server, Compression.NONE);
    assertEquals(42, calc.<Integer>callAsync("add", add(20, 22), Integer.class, true).join());
    assertEquals(1, server.plainCalls.get());
    assertEquals(2, server.runs("add"));
  }

  @Test
  void plainClientCallingAForcingModuleGetsEncryptionRequired() throws Exception {
    SecureTestServer server = server(KEY_HEX);
    ClientModule calc = client(server, ClientModule.builder(server.url()));
    EncryptionRequiredException e = assertThrows(EncryptionRequiredException.class, () -> calc.call("add", add(1, 2), Integer.class));
    assertEquals(412, e.httpStatus());
    assertEquals(List.of("required"), events);
    assertEquals(0, server.runs("add"));
  }

  @Test
  void unauthenticatedEncryptionWorksAgainstAnUnauthenticatedModule() throws Exception {
    SecureTestServer server = new SecureTestServer(SecureKey.none(), false);
    closer.track(server);
    ClientModule calc = client(server, ClientModule.builder(server.url()).encryptionKey(16).allowUnauthenticated(true));
    assertEquals(3, calc.call("add", add(1, 2), Integer.class));
    assertEquals(1, server.sealed.get());
  }

  @Test
  void a410OnTheRepostFailsWithoutALoop() throws Exception {
    SecureTestServer server = server(KEY_HEX);
    ClientModule calc = keyed(server);
    server.rejectAlways = true;
    SessionLostException e = assertThrows(SessionLostException.class, () -> calc.call("add", add(1, 2), Integer.class));
    assertEquals(CallOutcome.NOT_RUN, e.outcome());
    assertEquals(2, server.sealed.get());
    assertEquals(2, server.msg1.get());
    assertEquals(0, server.runs("add"));
  }

  @Test
  void autoRepostOffFailsWithSessionLostKnownNotRun() throws Exception {
    SecureTestServer server = server(KEY_HEX);
    ClientModule calc = client(server, ClientModule.builder(server.url()).secureKey(KEY_HEX).autoRepost(false));
    calc.call("add", add(1, 1), Integer.class);
    server.forgetSessions();
    SessionLostException e = assertThrows(SessionLostException.class, () -> calc.call("add", add(1, 2), Integer.class));
    assertEquals(CallOutcome.NOT_RUN, e.outcome());
    assertEquals(1, server.runs("add"));
    assertEquals(3, calc.call("add", add(1, 2), Integer.class));
  }

  @Test
  void largeRequestsAreDeflatedInsideTheSealedPlaintext() throws Exception {
    SecureTestServer server = server(KEY_HEX);
    ClientModule calc = client(server, ClientModule.builder(server.url()).secureKey(KEY_HEX).compression(Compression.FAST));
    String big = "x".repeat(2000);
    assertEquals(big, calc.call("echo", Map.of("s", big), String.class));
    assertEquals("y", calc.call("echo", Map.of("s", "y"), String.class));
    assertEquals(List.of(1, 0), server.requestFlags);
  }

  @Test
  void compressedAnswersAreInflated() throws Exception {
    SecureTestServer server = server(KEY_HEX);
    server.compressAnswers = true;
    ClientModule calc = keyed(server);
    String big = "z".repeat(5000);
    assertEquals(big, calc.call("echo", Map.of("s", big), String.class));
    assertEquals(List.of(0), server.requestFlags);
  }

  @Test
  void compressedAnswerOverMaxBodyBytesIsRefused() throws Exception {
    SecureTestServer server = server(KEY_HEX);
    server.compressAnswers = true;
    ClientModule calc = client(server, ClientModule.builder(server.url()).secureKey(KEY_HEX).maxBodyBytes(1000));
    dev.parley.TransportException e = assertThrows(dev.parley.TransportException.class,
        () -> calc.call("echo", Map.of("s", "z".repeat(5000)), String.class));
    assertTrue(e.getMessage().contains("maxBodyBytes"), e.getMessage());
  }

  @Test
  void listenerExceptionsDoNotBreakCalls() throws Exception {
    SecureTestServer server = server(KEY_HEX);
    ClientModule thrower = ClientModule.builder(server.url()).secureKey(KEY_HEX).listener(new ClientListener() {
      @Override public void onSessionOpen(String sid) { throw new IllegalStateException("listener bug"); }
    }).build();
    closer.track(thrower);
    assertEquals(3, thrower.call("add", add(1, 2), Integer.class));
  }

  @Test
  void distinctSealedCallsUseDistinctFrames() throws Exception {
    SecureTestServer server = server(KEY_HEX);
    ClientModule calc = keyed(server);
    for (int i = 0; i < 5; i++) {
      calc.call("add", add(1, 1), Integer.class);
    }
    assertEquals(5, new HashSet<>(server.frames).size());
  }

  @Test
  void plainClientGzipsLargeBodiesWhenCompressing() throws Exception {
    SecureTestServer server = SecureTestServer.plain();
    closer.track(server);
    ClientModule calc = client(server, ClientModule.builder(server.url()).compression(Compression.DEFAULT));
    String big = "q".repeat(1000);
    assertEquals(big, calc.call("echo", Map.of("s", big), String.class));
    assertEquals("s", calc.call("echo", Map.of("s", "s"), String.class));
    assertEquals(List.of("gzip", "null"), server.plainEncodings);
  }

  @Test
  void sessionPastItsMaximumAgeIsReplacedBeforeSealing() throws Exception {
    SecureTestServer server = server(KEY_HEX);
    ClientModule calc = keyed(server);
    java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(1_000_000);
    java.time.Clock clock = new java.time.Clock() {
      @Override public java.time.ZoneId getZone() { return java.time.ZoneOffset.UTC; }
      @Override public java.time.Clock withZone(java.time.ZoneId zone) { return this; }
      @Override public java.time.Instant instant() { return java.time.Instant.ofEpochMilli(now.get()); }
    };
    calc.sessionMaxAge(java.time.Duration.ofHours(1), clock);
    assertEquals(2, calc.call("add", add(1, 1), Integer.class));
    now.addAndGet(java.time.Duration.ofHours(2).toMillis());
    assertEquals(3, calc.call("add", add(1, 2), Integer.class));
    assertEquals(2, server.msg1.get());
    assertEquals(2, server.sealed.get());   // no frame was sent on the old session
    assertEquals(List.of("open", "open"), events);
  }

  @Test
  @org.junit.jupiter.api.Timeout(60)   // a guard against a deadlock, not a timing assertion
  void asyncFirstCallsDoNotHoldDispatcherSlotsWhileTheHandshakeRuns() throws Exception {
    SecureTestServer server = server(KEY_HEX);
    ClientModule calc = client(server, ClientModule.builder(server.url()).secureKey(KEY_HEX).maxRequestsPerHost(1));
    List<CompletableFuture<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      calls.add(calc.callAsync("add", add(i, 1), Integer.class));
    }
    for (int i = 0; i < 8; i++) {
      assertEquals(i + 1, calls.get(i).join());
    }
    assertEquals(1, server.msg1.get());
  }

  /** What happens to calls on a session that is open: a keyed client made one call on it. */
  @Nested
  class OnAnOpenSession {
    private SecureTestServer server;
    private ClientModule calc;

    @BeforeEach
    void openASession() throws Exception {
      server = server(KEY_HEX);
      calc = keyedWithASession(server);
    }

    @Test
    void authenticated410RehandshakesAndRepostsOnceWithANewCounter() throws Exception {
      server.forgetSessions();
      int framesBefore = server.frames.size();
      assertEquals(3, calc.call("add", add(1, 2), Integer.class));
      assertEquals(2, server.msg1.get());
      List<String> frames = server.frames.subList(framesBefore, server.frames.size());
      assertEquals(2, frames.size());
      assertNotEquals(frames.get(0), frames.get(1));
      assertEquals(2, server.runs("add"));   // once before, once now
      assertEquals(List.of("open", "expired", "repost add", "open"), events);
    }

    @Test
    void asyncCallIsRepostedAfterAnAuthenticated410() throws Exception {
      server.forgetSessions();
      assertEquals(9, calc.callAsync("add", add(4, 5), Integer.class).join());
      assertEquals(2, server.msg1.get());
      assertEquals(2, server.runs("add"));
    }

    @Test
    void forged410DoesNotResendANonIdempotentCall() throws Exception {
      server.forgedRejects.set(1);
      int sealedBefore = server.sealed.get();
      SessionLostException e = assertThrows(SessionLostException.class,
          () -> calc.call("add", add(1, 2), Integer.class));
      assertEquals(CallOutcome.UNKNOWN, e.outcome());
      assertTrue(e.getMessage().contains("whether it ran is unknown"), e.getMessage());
      assertEquals(sealedBefore + 1, server.sealed.get());
      assertEquals(1, server.runs("add"));
      assertEquals(3, calc.call("add", add(1, 2), Integer.class));   // the next call handshakes anew
      assertEquals(2, server.msg1.get());
    }

    @Test
    void forged410ResendsAnIdempotentCallOnce() throws Exception {
      server.forgedRejects.set(1);
      assertEquals(3, (int) calc.<Integer>call("add", add(1, 2), Integer.class, true));
      assertEquals(2, server.msg1.get());
      assertEquals(2, server.runs("add"));
      assertTrue(events.contains("repost add"));
    }

    @Test
    void aSealedAnswerCutShortFailsAsALostAnswerAndTheSessionLivesOn() throws Exception {
      server.cutAnswers.set(1);
      String big = "w".repeat(200_000);   // several chunks; half of the frame arrives
      TransportException e = assertThrows(TransportException.class,
          () -> calc.call("echo", Map.of("s", big), String.class));
      assertTrue(e.getMessage().contains("while reading the answer to 'echo' (unexpected end of stream)"),
          e.getMessage());
      assertEquals(1, server.runs("echo"));
      assertEquals(big, calc.call("echo", Map.of("s", big), String.class));   // same session, next counter
      assertEquals(1, server.msg1.get());
    }

    @Test
    void frameRejectedIsATransportFailureAndTheSessionLivesOn() throws Exception {
      server.frameRejects.set(1);
      dev.parley.TransportException e = assertThrows(dev.parley.TransportException.class,
          () -> calc.call("add", add(1, 2), Integer.class));
      assertEquals(400, e.httpStatus());
      assertEquals(3, calc.call("add", add(1, 2), Integer.class));
      assertEquals(1, server.msg1.get());
    }

    @Test
    void idempotentCallOnABrokenConnectionIsResealedAndSentOnce() throws Exception {
      server.dropConnections.set(1);
      int before = server.frames.size();
      assertEquals(3, (int) calc.<Integer>call("add", add(1, 2), Integer.class, true));
      List<String> frames = server.frames.subList(before, server.frames.size());
      assertEquals(3, frames.size(),
          "the call, a ping checking the session after the broken connection, the call again");
      assertEquals(1, server.pings.get());
      assertNotEquals(frames.get(0), frames.get(2), "sealed anew, never a byte-identical resend");
      assertEquals(1, server.msg1.get(), "the ping found the session held: no new handshake");
      assertTrue(events.contains("connectionLost"), events::toString);
    }

    @Test
    void nonIdempotentCallOnABrokenConnectionFailsWithoutResend() throws Exception {
      server.dropConnections.set(1);
      int sealedBefore = server.sealed.get();
      assertThrows(dev.parley.TransportException.class, () -> calc.call("add", add(1, 2), Integer.class));
      assertEquals(sealedBefore + 1, server.sealed.get());
      assertTrue(events.contains("connectionLost"), events::toString);
    }

    @Test
    void cancellingAnAsyncSealedCallCancelsItAndTheSessionStaysUsable() throws Exception {
      server.sealedArrived = new CountDownLatch(1);
      CountDownLatch hold = new CountDownLatch(1);
      server.holdSealed = hold;
      CompletableFuture<Integer> call = calc.callAsync("add", add(1, 2), Integer.class);
      server.sealedArrived.await();
      server.holdSealed = null;
      assertTrue(call.cancel(true));
      assertThrows(java.util.concurrent.CancellationException.class, call::join);
      hold.countDown();
      assertEquals(7, calc.call("add", add(3, 4), Integer.class));
      assertEquals(1, server.msg1.get());
    }
  }
}
