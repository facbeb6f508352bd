package dev.parley.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.RpcTimeoutException;
import dev.parley.server.ServerModule;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** ManualDeadlines: a caller's deadline passes when the test says so. */
class ManualDeadlinesTest {
  static final TracedImpl IMPL = new TracedImpl();
  static final ManualDeadlines deadlines = new ManualDeadlines();

  @RegisterExtension
  static final ParleyServer server = ParleyServer.builder()
      .module(ServerModule.builder("/traced").functions(new TracedFunctions(IMPL)))
      .deadlines(deadlines)
      .build();

  @Test
  void passingTheDeadlineOfARunningCallInterruptsItAndSkipsCallsThatFinished(TracedClient traced) throws Exception {
    traced.context();   // finished in time: its deadline is no longer pending
    RpcTimeoutException e = assertInstanceOf(RpcTimeoutException.class,
        IMPL.runUntilDeadline(() -> traced.withTimeout(Duration.ofMinutes(5)).runUntilStopped(), deadlines));
    assertTrue(e.getMessage().contains("the per-call timeout (300 s)"), e.getMessage());
    assertEquals(0, deadlines.pending());
  }

  @Test
  void passingTheDeadlineOfAnAsynchronousFunctionCancelsItsFuture(TracedClient traced) throws Exception {
    IMPL.pending = new CompletableFuture<>();
    IMPL.pendingReturned = new CountDownLatch(1);
    CompletableFuture<String> call = traced.pending();
    deadlines.passNext();
    IMPL.pendingReturned.await();
    assertTrue(IMPL.pending.isCancelled());
    assertInstanceOf(RpcTimeoutException.class, assertThrows(CompletionException.class, call::join).getCause());
  }
}
