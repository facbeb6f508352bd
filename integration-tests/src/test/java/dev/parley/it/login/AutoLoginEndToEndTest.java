package dev.parley.it.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.CallOutcome;
import dev.parley.RemoteException;
import dev.parley.RpcException;
import dev.parley.client.ClientListener;
import dev.parley.client.ClientModule;
import dev.parley.client.LoginFailedException;
import dev.parley.server.Login;
import dev.parley.server.ServerModule;
import dev.parley.testing.ManualTicker;
import dev.parley.testing.ParleyServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** The client's auto-login and the server's login requirement, on a real Jetty through OkHttp. */
class AutoLoginEndToEndTest {
  private final AccountsImpl accounts = new AccountsImpl();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final ClientListener listener = new ClientListener() {
    @Override
    public void onLogin(String sid) {
      events.add("login");
    }

    @Override
    public void onLoginFailed(String sid, RpcException failure) {
      events.add("loginFailed " + (failure instanceof RemoteException r ? r.code() : failure.getClass().getSimpleName()));
    }

    @Override
    public void onRepost(String function) {
      events.add("repost " + function);
    }
  };

  private ParleyServer.Builder server() {
    return ParleyServer.builder()
        .module(ServerModule.builder("/accounts")
            .autoSessionsLive(Duration.ofMinutes(1))
            .functions(Login.required(new AccountsFunctions(accounts), "login")))
        .encrypted();
  }

  /** A client of {@code server} that logs in as {@code user} and reports to {@link #listener}. */
  private ClientModule loggingInAs(String user, ParleyServer server) {
    return server.client("/accounts", b -> b.autoLogin("login", Map.of("user", user)).listener(listener));
  }

  @Test
  void loginRunsOnceForThirtyTwoConcurrentFirstCallsBeforeAnyOfThem() throws Exception {
    int callers = 32;
    ExecutorService pool = Executors.newFixedThreadPool(callers / 2);
    try (ParleyServer server = server().build().start();
        ClientModule module = loggingInAs("ann", server)) {
      AccountsClient client = new AccountsClient(module);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<String>> sync = new ArrayList<>();
      for (int i = 0; i < callers / 2; i++) {
        sync.add(pool.submit(() -> {
          go.await();
          return client.whoAmI();
        }));
      }
      List<CompletableFuture<String>> async = new ArrayList<>();
      go.countDown();
      for (int i = 0; i < callers / 2; i++) {
        async.add(client.whoAmIAsync());
      }
      for (Future<String> call : sync) {
        assertEquals("ann", call.get(1, TimeUnit.MINUTES));
      }
      for (CompletableFuture<String> call : async) {
        assertEquals("ann", call.get(1, TimeUnit.MINUTES));
      }
      assertEquals(1, accounts.count("login"), accounts.ran.toString());
      assertTrue(accounts.ran.get(0).startsWith("login ann@"), accounts.ran.toString());
      assertEquals(callers, accounts.count("whoAmI"));
      assertEquals(List.of("login"), events);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void loginRunsAgainAfterAServerRestartBeforeTheCallThatFollows() {
    try (ParleyServer server = server().build().start();
        ClientModule module = loggingInAs("ann", server)) {
      AccountsClient client = new AccountsClient(module);
      assertEquals("ann", client.whoAmI());
      String firstSession = module.sessionId().orElseThrow();
      server.stop();
      server.start();   // the same port, a new server instance: the session and its login are gone

      assertEquals(3, client.add(1, 2));

      String secondSession = module.sessionId().orElseThrow();
      assertEquals(List.of("login ann@" + firstSession, "whoAmI ann@" + firstSession,
          "login ann@" + secondSession, "add ann@" + secondSession), accounts.ran);
      assertEquals(List.of("login", "login"), events);
    }
  }

  @Test
  void loginRunsAgainAfterARestartTheClientCouldNotSeeBeforeTheIdempotentCallIsSentAgain() {
    OkHttpClient http = new OkHttpClient();
    try (ParleyServer server = server().build().start();
        ClientModule module = server.client("/accounts", b -> b.okHttpClient(http)
            .autoLogin("login", Map.of("user", "ann")).listener(listener))) {
      AccountsClient client = new AccountsClient(module);
      assertEquals("ann", client.whoAmI());
      server.stop();
      http.connectionPool().evictAll();   // no sign of the restart: the call is sealed on the old session
      server.start();

      assertEquals("ann", client.whoAmI());   // a 410 from the new instance, a handshake, the login, the resend

      String session = module.sessionId().orElseThrow();
      assertEquals(List.of("login ann@" + session, "whoAmI ann@" + session), accounts.ran.subList(2, 4));
      assertEquals(4, accounts.ran.size());
      assertEquals(List.of("login", "repost whoAmI", "login"), events);
    } finally {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }

  @Test
  void loginRunsAgainAfterTheSessionExpiredBeforeTheRepostedCall() {
    ManualTicker ticker = new ManualTicker();
    try (ParleyServer server = server().ticker(ticker).build().start();
        ClientModule module = loggingInAs("ann", server)) {
      AccountsClient client = new AccountsClient(module);
      assertEquals(3, client.add(1, 2));
      ticker.advance(Duration.ofMinutes(2));   // the server forgets the session (autoSessionsLive 1 min)

      assertEquals(7, client.add(3, 4));   // a verified 410, a new handshake, the login, then the repost

      String session = module.sessionId().orElseThrow();
      assertEquals(List.of("login ann@" + session, "add ann@" + session), accounts.ran.subList(2, 4));
      assertEquals(List.of("login", "repost add", "login"), events);
    }
  }

  @Test
  void aRefusedLoginFailsTheWaitingCallWithLoginFailedAndItsOwnEvent() {
    try (ParleyServer server = server().build().start();
        ClientModule module = loggingInAs("mallory", server)) {
      AccountsClient client = new AccountsClient(module);

      LoginFailedException e = assertThrows(LoginFailedException.class, client::whoAmI);

      assertEquals(CallOutcome.NOT_RUN, e.outcome());
      assertEquals(Accounts.WRONG_USER, assertInstanceOf(RemoteException.class, e.getCause()).code());
      assertEquals(List.of(), accounts.ran, "whoAmI never ran");
      assertEquals(List.of("loginFailed " + Accounts.WRONG_USER), events);
      assertThrows(LoginFailedException.class, client::whoAmI, "the next call tries the login again");
      assertEquals(2, events.size());
    }
  }

  @Test
  void aLoginHookThatThrowsFailsTheCallWithoutRepeatingItsMessage() {
    try (ParleyServer server = server().build().start();
        ClientModule module = server.client("/accounts", b -> b.autoLogin("login", () -> {
          throw new IllegalStateException("token store says: password hunter2");
        }).listener(listener))) {
      LoginFailedException e = assertThrows(LoginFailedException.class, () -> new AccountsClient(module).whoAmI());

      assertEquals(CallOutcome.NOT_RUN, e.outcome());
      assertTrue(!e.getMessage().contains("hunter2") && !e.getCause().getMessage().contains("hunter2"), e.getMessage());
      assertEquals(List.of("loginFailed TransportException"), events);
      assertEquals(List.of(), accounts.ran, "nothing ran, not even the login");
    }
  }

  @Test
  void resetLoginLogsInAgainBeforeTheNextCallWithFreshParameters() {
    Iterator<String> users = List.of("ann", "bob").iterator();
    try (ParleyServer server = server().build().start();
        ClientModule module = server.client("/accounts", b -> b.autoLogin("login", () -> Map.of("user", users.next())))) {
      AccountsClient client = new AccountsClient(module);
      assertEquals("ann", client.whoAmI());

      module.resetLogin();

      assertEquals("bob", client.whoAmI());
      assertEquals(2, accounts.count("login"));
    }
  }

  @Test
  void aFunctionThatNeedsLoginRefusesASessionThatDidNotLogIn() {
    try (ParleyServer server = server().build().start(); ClientModule module = server.client("/accounts")) {
      RemoteException e = assertThrows(RemoteException.class, () -> new AccountsClient(module).whoAmI());
      assertEquals(Login.REQUIRED, e.code());
      assertEquals(Login.REQUIRED_MESSAGE, e.getMessage());
      assertEquals(List.of(), accounts.ran);
    }
  }

  @Test
  void autoLoginOnAClientThatDoesNotForceEncryptionIsRefusedAtBuild() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClientModule.builder("http://127.0.0.1:1/accounts").autoLogin("login", Map.of()).build());
    assertTrue(e.getMessage().startsWith("autoLogin needs a client that forces encryption"), e.getMessage());
  }

  @Test
  void requiringLoginForAFunctionTheGroupDoesNotHaveIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Login.required(new AccountsFunctions(accounts), "logon"));
    assertTrue(e.getMessage().startsWith("'logon' is not a function of"), e.getMessage());
  }
}
