package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.RemoteException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The caller's deadline on plain calls: the {@code Parley-Timeout} header checked, a passed deadline
 * runs nothing, and one that passes while the function runs interrupts or cancels it. The deadline's
 * timer is fired by the test (a scheduler that keeps its tasks), never by waiting.
 */
class DeadlineTest {
  private static final AtomicInteger RAN = new AtomicInteger();
  private static final CountDownLatch SYNC_STARTED = new CountDownLatch(1);
  private static final CountDownLatch SYNC_INTERRUPTED = new CountDownLatch(1);
  private static final CountDownLatch ASYNC_STARTED = new CountDownLatch(1);
  private static final CompletableFuture<String> ASYNC_WORK = new CompletableFuture<>();
  private static final CountDownLatch LATE_STARTED = new CountDownLatch(1);
  private static final CountDownLatch LATE_RELEASE = new CountDownLatch(1);
  private static final CompletableFuture<String> LATE_WORK = new CompletableFuture<>();
  private static final ManualScheduler SCHEDULER = new ManualScheduler();
  private static ServerHarness harness;

  /** A scheduler whose tasks run only when the test fires them. */
  static final class ManualScheduler extends AbstractLifeCycle implements Scheduler {
    final BlockingQueue<Timer> tasks = new LinkedBlockingQueue<>();

    /** One scheduled task. */
    record Timer(Runnable task, AtomicBoolean cancelled) implements Task {
      @Override
      public boolean cancel() {
        return !cancelled.getAndSet(true);
      }

      void fire() {
        if (!cancelled.get()) {
          task.run();
        }
      }
    }

    @Override
    public Task schedule(Runnable task, long delay, TimeUnit units) {
      Timer timer = new Timer(task, new AtomicBoolean());
      tasks.add(timer);
      return timer;
    }

    /** The next task scheduled (waiting for it to be scheduled). */
    Timer next() throws InterruptedException {
      return tasks.take();
    }
  }

  @BeforeAll
  static void start() {
    HandWrittenFunctions functions = new HandWrittenFunctions("test.Slow")
        .fn("count", List.of(), (a, s) -> RAN.incrementAndGet())
        .fn("block", List.of(), (a, s) -> {
          SYNC_STARTED.countDown();
          try {
            new CountDownLatch(1).await();   // only an interrupt ends it
          } catch (InterruptedException e) {
            SYNC_INTERRUPTED.countDown();
            throw e;
          }
          return "never";
        })
        .fn("lateAsync", List.of(), (a, s) -> {
          LATE_STARTED.countDown();
          boolean released = false;
          while (!released) {
            try {
              LATE_RELEASE.await();   // ignores the interrupt: returns its future only when released
              released = true;
            } catch (InterruptedException e) {
              // keep waiting
            }
          }
          return LATE_WORK;
        })
        .fn("slowAsync", List.of(), (a, s) -> {
          ASYNC_STARTED.countDown();
          return ASYNC_WORK;
        });
    ServerModule.Builder builder = ServerModule.builder("/slow").functions(functions);
    builder.deadlineScheduler(SCHEDULER);
    harness = new ServerHarness(builder.build());
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static JsonNode call(String method, String timeout) {
    return harness.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\"}", Map.of("Parley-Timeout", timeout))
        .json();
  }

  @Test
  void aDeadlineThatHasPassedOnArrivalRunsNothing() {
    int before = RAN.get();
    JsonNode answer = call("count", "0");
    assertEquals(RemoteException.DEADLINE_EXCEEDED, answer.get("error").get("code").asInt());
    assertEquals("Deadline exceeded", answer.get("error").get("message").asText());
    assertEquals(before, RAN.get());
  }

  @Test
  void aCallWithinItsDeadlineRuns() {
    int before = RAN.get();
    assertEquals(before + 1, call("count", "4294967295").get("result").asInt());
  }

  @Test
  void aMalformedOversizedOrRepeatedTimeoutHeaderIsAnswered400AndRunsNothing() {
    int before = RAN.get();
    for (String bad : List.of("abc", "-5", "1.5", "", "4294967296", "12345678901")) {
      ServerHarness.Answer answer = harness.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"count\"}",
          Map.of("Parley-Timeout", bad));
      assertEquals(400, answer.status(), bad);
      assertTrue(answer.body().contains("Parley-Timeout"), answer.body());
    }
    okhttp3.Request repeated = new okhttp3.Request.Builder().url(harness.url())
        .post(okhttp3.RequestBody.create("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"count\"}", ServerHarness.JSON))
        .addHeader("Parley-Timeout", "100").addHeader("Parley-Timeout", "200").build();
    assertEquals(400, ServerHarness.send(repeated).status());
    assertEquals(before, RAN.get());
  }

  @Test
  void aNonBlockingModuleAlsoRunsNothingPastTheDeadline() {
    AtomicInteger ran = new AtomicInteger();
    HandWrittenFunctions functions = new HandWrittenFunctions("test.Quick")
        .fn("count", List.of(), (a, s) -> ran.incrementAndGet());
    try (ServerHarness quick = new ServerHarness(ServerModule.builder("/quick").functions(functions).nonBlocking(true)
        .build())) {
      JsonNode late = quick.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"count\"}", Map.of("Parley-Timeout", "0"))
          .json();
      assertEquals(RemoteException.DEADLINE_EXCEEDED, late.get("error").get("code").asInt());
      JsonNode inTime = quick.post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"count\"}",
          Map.of("Parley-Timeout", "600000")).json();
      assertEquals(1, inTime.get("result").asInt());
    }
    assertEquals(1, ran.get());
  }

  @Test
  void aDeadlinePassingWhileASynchronousFunctionRunsInterruptsItsThread() throws Exception {
    SCHEDULER.tasks.clear();
    CompletableFuture<JsonNode> answer = CompletableFuture.supplyAsync(() -> call("block", "60000"));
    SYNC_STARTED.await();
    SCHEDULER.next().fire();   // the timer that interrupts the function's thread
    SYNC_INTERRUPTED.await();
    assertEquals(RemoteException.DEADLINE_EXCEEDED, answer.get().get("error").get("code").asInt());
  }

  @Test
  void aDeadlinePassingBeforeAnAsynchronousFunctionReturnedItsFutureCancelsThatFuture() throws Exception {
    SCHEDULER.tasks.clear();
    CompletableFuture<JsonNode> answer = CompletableFuture.supplyAsync(() -> call("lateAsync", "60000"));
    LATE_STARTED.await();
    SCHEDULER.next().fire();   // the deadline passes while the function has not returned its future yet
    LATE_RELEASE.countDown();
    assertEquals(RemoteException.DEADLINE_EXCEEDED, answer.get().get("error").get("code").asInt());
    assertTrue(LATE_WORK.isCancelled());
  }

  @Test
  void aDeadlinePassingWhileAnAsynchronousFunctionRunsCancelsItsFuture() throws Exception {
    SCHEDULER.tasks.clear();
    CompletableFuture<JsonNode> answer = CompletableFuture.supplyAsync(() -> call("slowAsync", "60000"));
    ASYNC_STARTED.await();
    // The first timer guarded the function's synchronous part and was cancelled when it returned
    // its future; the second guards the future.
    ManualScheduler.Timer first = SCHEDULER.next();
    ManualScheduler.Timer second = SCHEDULER.next();
    assertTrue(first.cancelled().get());
    second.fire();
    assertEquals(RemoteException.DEADLINE_EXCEEDED, answer.get().get("error").get("code").asInt());
    assertTrue(ASYNC_WORK.isCancelled());
  }
}
