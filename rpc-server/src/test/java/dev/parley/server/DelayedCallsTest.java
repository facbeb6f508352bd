package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.RemoteException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The registry of delayed calls on its own: keys, counts, limits, ends and builder checks. */
class DelayedCallsTest {
  private static DelayedCalls<String, String> calls() {
    return DelayedCalls.<String, String>builder().timeout(Duration.ofMinutes(5)).build();
  }

  @Test
  void wakeUpAnswersOnlyTheCallsOfItsKey() {
    DelayedCalls<String, String> calls = calls();
    CompletableFuture<String> a1 = calls.park("a");
    CompletableFuture<String> a2 = calls.park("a");
    CompletableFuture<String> b = calls.park("b");
    assertEquals(2, calls.wakeUp("a", "x"));
    assertEquals("x", a1.join());
    assertEquals("x", a2.join());
    assertFalse(b.isDone());
    assertEquals(1, calls.parked());
    assertEquals(0, calls.parked("a"));
    assertEquals(1, calls.parked("b"));
  }

  @Test
  void wakeUpAllAnswersEveryKeyOnce() {
    DelayedCalls<String, String> calls = calls();
    CompletableFuture<String> a = calls.park("a");
    CompletableFuture<String> b = calls.park("b");
    assertEquals(2, calls.wakeUpAll("all"));
    assertEquals("all", a.join());
    assertEquals("all", b.join());
    assertEquals(0, calls.wakeUpAll("again"));
    assertEquals(0, calls.parked());
  }

  @Test
  void aCancelledCallLeavesTheRegistryAndIsNotWoken() {
    DelayedCalls<String, String> calls = calls();
    CompletableFuture<String> call = calls.park("a");
    assertTrue(call.cancel(false));
    assertEquals(0, calls.parked());
    assertEquals(0, calls.wakeUp("a", "late"));
  }

  @Test
  void callsBeyondMaxParkedAreRefusedWithTooManyParked() {
    DelayedCalls<String, String> calls = DelayedCalls.<String, String>builder().maxParked(1).build();
    CompletableFuture<String> first = calls.park("a");
    ExecutionException e = assertThrows(ExecutionException.class, () -> calls.park("a").get());
    RemoteException refused = assertInstanceOf(RemoteException.class, e.getCause());
    assertEquals(DelayedCalls.TOO_MANY_PARKED, refused.code());
    assertEquals(1, calls.parked());
    first.cancel(false);
    assertFalse(calls.park("a").isDone(), "a place freed by an ended call is used again");
  }

  @Test
  void aCallThatTimesOutWithoutATimeoutValueFailsWithTimedOut() {
    DelayedCalls<String, String> calls = DelayedCalls.<String, String>builder().timeout(Duration.ofNanos(1)).build();
    ExecutionException e = assertThrows(ExecutionException.class, () -> calls.park("a").get());
    RemoteException timedOut = assertInstanceOf(RemoteException.class, e.getCause());
    assertEquals(DelayedCalls.TIMED_OUT, timedOut.code());
    assertEquals(DelayedCalls.TIMED_OUT_MESSAGE, timedOut.getMessage());
    assertEquals(0, calls.parked());
  }

  @Test
  void aCallThatTimesOutIsAnsweredTheTimeoutValue() throws Exception {
    DelayedCalls<String, String> calls = DelayedCalls.<String, String>builder().timeoutValue("none").build();
    assertEquals("none", calls.park("a", Duration.ofNanos(1)).get());
  }

  @Test
  void builderRefusesAZeroTimeoutASecondTimeoutAndMaxParkedBelowOne() {
    assertThrows(IllegalArgumentException.class, () -> DelayedCalls.builder().timeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> DelayedCalls.builder().timeout(Duration.ofSeconds(-1)));
    IllegalStateException twice = assertThrows(IllegalStateException.class,
        () -> DelayedCalls.builder().timeout(Duration.ofSeconds(1)).timeout(Duration.ofSeconds(2)));
    assertEquals("timeout was already set to PT1S", twice.getMessage());
    assertThrows(IllegalArgumentException.class, () -> DelayedCalls.builder().maxParked(0));
    assertThrows(IllegalArgumentException.class, () -> calls().park("a", Duration.ZERO));
    assertThrows(NullPointerException.class, () -> calls().park(null));
  }
}
