package dev.parley.it.calc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.testing.ParleyServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One ClientModule shared by many threads. */
class ConcurrencyEndToEndTest {
  private static final int THREADS = 32;
  private static final int CALLS_PER_THREAD = 30;
  private static final CalculatorImpl service = new CalculatorImpl();

  @RegisterExtension
  static final ParleyServer server = ParleyServer.builder().module(service.module()).build();

  @Test
  void concurrentCallsFromManyThreadsAllGetTheirOwnResult(CalculatorClient calc) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<Integer>> wrong = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        Callable<Integer> task = () -> {
          int mismatches = 0;
          for (int i = 0; i < CALLS_PER_THREAD; i++) {
            int a = thread * 1000 + i;
            if (i % 2 == 0 ? calc.add(a, i) != a + i : calc.addAsync(a, i).join() != a + i) {
              mismatches++;
            }
          }
          return mismatches;
        };
        wrong.add(pool.submit(task));
      }
      int total = 0;
      for (Future<Integer> w : wrong) {
        total += w.get();
      }
      assertEquals(0, total);
      assertEquals(THREADS * CALLS_PER_THREAD, service.history(Integer.MAX_VALUE).size());
    } finally {
      pool.shutdown();
    }
  }
}
