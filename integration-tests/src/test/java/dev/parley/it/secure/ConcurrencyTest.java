package dev.parley.it.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.client.ClientModule;
import dev.parley.it.secure.AttackProxy.Exchange;
import dev.parley.it.secure.AttackProxy.Kind;
import dev.parley.testing.ParleyServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Many threads share one encrypted ClientModule: the first calls share one handshake, every call
 * then runs concurrently on the one session, and the server's replay window rejects none of them
 * (docs/PROTOCOL.md §11).
 */
class ConcurrencyTest {
  private static final int THREADS = 64;
  private static final int CALLS = 50;

  @Test
  void sixtyFourThreadsShareOneHandshakeAndEveryCallSucceedsOnce() throws Exception {
    sixtyFourThreadsShareOneSession(false);
  }

  /** The same on the server's I/O threads: calls from many connections interleave on two selectors. */
  @Test
  void onANonBlockingModuleSixtyFourThreadsShareOneHandshakeAndEveryCallSucceedsOnce() throws Exception {
    sixtyFourThreadsShareOneSession(true);
  }

  private void sixtyFourThreadsShareOneSession(boolean nonBlocking) throws Exception {
    Calculators calculators = new Calculators();
    try (ParleyServer server = ParleyServer.builder()
            .module(calculators.module("/calc").encryptionKey(32).secureKey(Keys.a()).nonBlocking(nonBlocking))
            .build().start();
        AttackProxy proxy = new AttackProxy(server.uri().toString());
        ClientModule module = ClientModule.builder(proxy.url("/calc"))
            .encryptionKey(32).secureKey(Keys.a()).build()) {
      CalculatorClient calc = new CalculatorClient(module);
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          int thread = t;
          done.add(pool.submit(() -> {
            start.await();  // all first calls race for the one handshake
            int correct = 0;
            for (int i = 0; i < CALLS; i++) {
              if (calc.add(thread * 1000, i) == thread * 1000 + i) {
                correct++;
              }
            }
            return correct;
          }));
        }
        start.countDown();
        int correct = 0;
        for (Future<Integer> f : done) {
          correct += f.get(60, TimeUnit.SECONDS);
        }

        assertEquals(THREADS * CALLS, correct, "every result is right");
      } finally {
        pool.shutdownNow();
      }
      assertEquals(THREADS * CALLS, calculators.service("/calc").invocations("add"), "every call ran exactly once");
      assertEquals(1, proxy.count(Kind.MSG1), "one handshake for all threads");
      assertEquals(1, proxy.count(Kind.MSG3));
      assertEquals(1, calculators.sessionsOpened("/calc"));
      Map<Integer, Integer> statuses = new TreeMap<>();
      for (Exchange x : proxy.exchanges(Kind.SEALED)) {
        statuses.merge(x.status(), 1, Integer::sum);
      }
      assertEquals(Map.of(200, THREADS * CALLS), statuses, "no honest call was rejected (400) or lost (410)");
    }
  }

  @Test
  void threeHundredAsynchronousFirstCallsShareOneHandshake() {
    int calls = 300;
    Calculators calculators = new Calculators();
    try (ParleyServer server = ParleyServer.builder()
            .module(calculators.module("/calc").encryptionKey(32).secureKey(Keys.a()))
            .build().start();
        AttackProxy proxy = new AttackProxy(server.uri().toString());
        ClientModule module = ClientModule.builder(proxy.url("/calc"))
            .encryptionKey(32).secureKey(Keys.a()).build()) {
      CalculatorClient calc = new CalculatorClient(module);
      List<CompletableFuture<Integer>> results = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        results.add(calc.addAsync(i, i));
      }
      for (int i = 0; i < calls; i++) {
        assertEquals(2 * i, results.get(i).join());
      }
      assertEquals(calls, calculators.service("/calc").invocations("add"));
      assertEquals(1, proxy.count(Kind.MSG1), "one handshake for all calls");
      assertEquals(1, calculators.sessionsOpened("/calc"));
      assertEquals(calls, proxy.exchanges(Kind.SEALED).stream().filter(x -> x.status() == 200).count());
    }
  }
}
