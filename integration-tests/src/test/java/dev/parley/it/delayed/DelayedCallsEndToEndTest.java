package dev.parley.it.delayed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.RemoteException;
import dev.parley.TransportException;
import dev.parley.client.ClientModule;
import dev.parley.server.DelayedCalls;
import dev.parley.server.ServerModule;
import dev.parley.testing.ParleyServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** Delayed calls (long poll) on a real Jetty through real OkHttp clients: wake-ups, timeouts, callers gone. */
class DelayedCallsEndToEndTest {
  private static final int MANY = 1000;

  private static ParleyServer.Builder server(InboxImpl inbox) {
    return ParleyServer.builder()
        .module(ServerModule.builder("/inbox").functions(new InboxFunctions(inbox)))
        .serverSettings(jetty -> jetty.maxThreads(8));
  }

  @Test
  void aThousandParkedCallsOnAnEightThreadServerAreAllAnsweredByOneWakeUp() throws Exception {
    InboxImpl inbox = new InboxImpl(DelayedCalls.<String, String>builder().timeout(Duration.ofMinutes(5)).build(), MANY);
    try (ParleyServer server = server(inbox).build().start();
        ClientModule module = server.client("/inbox", b -> b.maxRequestsPerHost(MANY).readTimeout(Duration.ofMinutes(5)))) {
      InboxCallsClient client = new InboxCallsClient(module);
      List<CompletableFuture<String>> calls = new ArrayList<>();
      for (int i = 0; i < MANY; i++) {
        calls.add(client.nextAsync("room-" + (i % 10)));
      }
      assertTrue(inbox.parked().await(2, TimeUnit.MINUTES), "not every call reached the server");
      assertEquals(MANY, inbox.waiting.parked());

      assertEquals(MANY, inbox.waiting.wakeUpAll("hello"));

      for (CompletableFuture<String> call : calls) {
        assertEquals("hello", call.get(2, TimeUnit.MINUTES));
      }
      assertEquals(0, inbox.waiting.parked());
      assertEquals(0, client.post("room-0", "nobody waits"));   // the connections that held them serve on
    }
  }

  @Test
  void parkedCallsOfAClientThatWentAwayAreCancelledAndNeverAnswered() throws Exception {
    clientGoesAway(false);
  }

  @Test
  void parkedSealedCallsOfAClientThatWentAwayAreCancelledAndNeverAnswered() throws Exception {
    clientGoesAway(true);
  }

  private static void clientGoesAway(boolean encrypted) throws Exception {
    int calls = 20;
    InboxImpl inbox = new InboxImpl(DelayedCalls.<String, String>builder().timeout(Duration.ofMinutes(5)).build(), calls);
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequestsPerHost(calls);
    OkHttpClient http = new OkHttpClient.Builder().dispatcher(dispatcher).build();
    ParleyServer.Builder settings = encrypted ? server(inbox).encrypted() : server(inbox);
    try (ParleyServer server = settings.build().start();
        ClientModule module = server.client("/inbox", b -> b.okHttpClient(http).readTimeout(Duration.ofMinutes(5)))) {
      InboxCallsClient client = new InboxCallsClient(module);
      List<CompletableFuture<String>> waiting = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        waiting.add(client.nextAsync("room"));
      }
      assertTrue(inbox.parked().await(1, TimeUnit.MINUTES));

      dispatcher.cancelAll();   // the client goes away: OkHttp closes the connections of its calls

      assertTrue(inbox.cancelled().await(1, TimeUnit.MINUTES), "the server did not notice the closed connections");
      assertEquals(0, inbox.waiting.parked());
      assertEquals(0, inbox.waiting.wakeUpAll("too late"));
      for (CompletableFuture<String> call : waiting) {
        CompletionException failure = assertThrows(CompletionException.class, call::join);
        assertInstanceOf(TransportException.class, failure.getCause());
      }
    } finally {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }

  @Test
  void aParkedCallIsCancelledWhenItsCallerCancelsItOverHttp2() throws Exception {
    InboxImpl inbox = new InboxImpl(DelayedCalls.<String, String>builder().timeout(Duration.ofMinutes(5)).build(), 2);
    try (ParleyServer server = ParleyServer.builder()
            .module(ServerModule.builder("/inbox").functions(new InboxFunctions(inbox)))
            .serverSettings(jetty -> jetty.maxThreads(8).http2Cleartext(true))
            .build().start();
        ClientModule module = server.client("/inbox", b -> b.http2PriorKnowledge(true).readTimeout(Duration.ofMinutes(5)))) {
      InboxCallsClient client = new InboxCallsClient(module);
      CompletableFuture<String> dropped = client.nextAsync("room");
      CompletableFuture<String> kept = client.nextAsync("room");
      assertTrue(inbox.parked().await(1, TimeUnit.MINUTES));

      assertTrue(dropped.cancel(true));   // OkHttp resets the call's HTTP/2 stream; the connection stays

      assertTrue(awaitOneCancelled(inbox), "the server did not notice the reset stream");
      assertEquals(1, inbox.waiting.parked());
      assertEquals(1, client.post("room", "only the kept call"));
      assertEquals("only the kept call", kept.get(1, TimeUnit.MINUTES));
    }
  }

  /** Waits until one of the inbox's parked calls was cancelled (its latch started at 2). */
  private static boolean awaitOneCancelled(InboxImpl inbox) throws InterruptedException {
    return inbox.cancelledOnce().await(1, TimeUnit.MINUTES);
  }

  @Test
  void wakeUpAnswersTheCallsOfItsKeyOnlyOnAnEncryptedModuleWithSyncAndAsyncStubs() throws Exception {
    InboxImpl inbox = new InboxImpl(DelayedCalls.<String, String>builder().timeout(Duration.ofMinutes(5)).build(), 3);
    try (ParleyServer server = server(inbox).encrypted().build().start();
        ClientModule module = server.client("/inbox", b -> b.readTimeout(Duration.ofMinutes(5)))) {
      InboxCallsClient client = new InboxCallsClient(module);
      CompletableFuture<String> sync = CompletableFuture.supplyAsync(() -> client.next("a"));
      CompletableFuture<String> async = client.nextAsync("a");
      CompletableFuture<String> other = client.nextAsync("b");
      assertTrue(inbox.parked().await(1, TimeUnit.MINUTES));

      assertEquals(2, client.post("a", "for a"));

      assertEquals("for a", sync.get(1, TimeUnit.MINUTES));
      assertEquals("for a", async.get(1, TimeUnit.MINUTES));
      assertEquals(1, inbox.waiting.parked("b"));
      assertEquals(1, client.post("b", "for b"));
      assertEquals("for b", other.get(1, TimeUnit.MINUTES));
    }
  }

  @Test
  void aCallNobodyWakesIsAnsweredTheTimeoutValue() throws Exception {
    InboxImpl inbox = new InboxImpl(DelayedCalls.<String, String>builder()
        .timeout(Duration.ofMillis(1)).timeoutValue("nothing new").build(), 1);
    try (ParleyServer server = server(inbox).build().start(); ClientModule module = server.client("/inbox")) {
      assertEquals("nothing new", new InboxCallsClient(module).next("quiet"));
      assertEquals(0, inbox.waiting.parked());
    }
  }

  @Test
  void aCallNobodyWakesWithoutATimeoutValueIsAnsweredTheTimedOutError() throws Exception {
    InboxImpl inbox = new InboxImpl(DelayedCalls.<String, String>builder().timeout(Duration.ofMillis(1)).build(), 1);
    try (ParleyServer server = server(inbox).encrypted().build().start(); ClientModule module = server.client("/inbox")) {
      RemoteException error = assertThrows(RemoteException.class, () -> new InboxCallsClient(module).next("quiet"));
      assertEquals(DelayedCalls.TIMED_OUT, error.code());
      assertEquals(DelayedCalls.TIMED_OUT_MESSAGE, error.getMessage());
    }
  }
}
