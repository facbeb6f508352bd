package dev.parley.it.calc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.RemoteException;
import dev.parley.client.Batch;
import dev.parley.client.ClientModule;
import dev.parley.testing.ParleyServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Asynchronous calls, cancellation and batches against a real server. */
class AsyncAndBatchEndToEndTest {
  private final CalculatorImpl service = new CalculatorImpl();

  @RegisterExtension
  final ParleyServer server = ParleyServer.builder().module(service.module()).build();

  private ClientModule module;
  private CalculatorClient calc;

  @BeforeEach
  void connect() {
    module = server.client();
    calc = new CalculatorClient(module);
  }

  /** A waitFor call still held must not delay the server's stop. */
  @AfterEach
  void release() {
    service.release.countDown();
  }

  @Test
  void asyncStubCallCompletesWithTheResult() {
    assertEquals(7, calc.addAsync(3, 4).join());
  }

  @Test
  void asyncFunctionOnTheServerCompletesWithItsResult() {
    assertEquals(49, calc.squareLater(7).join());
  }

  @Test
  void asyncErrorCompletesWithRemoteExceptionAsCause() {
    CompletionException e = assertThrows(CompletionException.class, () -> calc.divideAsync(1, 0).join());
    assertEquals(Calculator.DIVISION_BY_ZERO, assertInstanceOf(RemoteException.class, e.getCause()).code());
  }

  @Test
  void cancelledAsyncCallLeavesTheModuleUsable() throws Exception {
    CompletableFuture<String> waiting = calc.waitForAsync("k");
    service.waiting.await();
    assertTrue(waiting.cancel(true));
    assertThrows(CancellationException.class, waiting::join);
    assertEquals(2, calc.add(1, 1));
    service.release.countDown();
  }

  @Test
  void batchAnswersEveryCallWithItsOwnOutcome() throws Exception {
    Batch batch = module.batch();
    CompletableFuture<Integer> sum = batch.call("add", Map.of("a", 1, "b", 2), Integer.class);
    CompletableFuture<Integer> quotient = batch.call("divide", Map.of("a", 1, "b", 0), Integer.class);
    CompletableFuture<String> echoed = batch.call("echoUnit", Map.of("unit", "METRE"), String.class);
    batch.notify("log", Map.of("message", "in a batch"));
    batch.execute();
    assertEquals(3, sum.join());
    CompletionException e = assertThrows(CompletionException.class, quotient::join);
    assertEquals(Calculator.DIVISION_BY_ZERO, assertInstanceOf(RemoteException.class, e.getCause()).code());
    assertEquals("METRE", echoed.join());
    assertEquals("in a batch", service.logged.take());
  }

  @Test
  void batchOfOnlyNotificationsRunsThemAll() throws Exception {
    Batch batch = module.batch();
    batch.notify("log", List.of("one"));
    batch.notify("log", List.of("two"));
    batch.execute();
    assertEquals(List.of("one", "two"), List.of(service.logged.take(), service.logged.take()).stream().sorted().toList());
  }

  @Test
  void asyncBatchCompletesEveryCall() {
    Batch batch = module.batch();
    CompletableFuture<Integer> a = batch.call("add", List.of(2, 2), Integer.class);
    CompletableFuture<Integer> b = batch.call("squareLater", List.of(5), Integer.class);
    batch.executeAsync().join();
    assertEquals(4, a.join());
    assertEquals(25, b.join());
  }

  @Test
  void manyAsyncCallsInFlightAllComplete() {
    List<CompletableFuture<Integer>> calls = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      calls.add(calc.addAsync(i, i));
    }
    for (int i = 0; i < 200; i++) {
      assertEquals(2 * i, calls.get(i).join());
    }
  }
}
