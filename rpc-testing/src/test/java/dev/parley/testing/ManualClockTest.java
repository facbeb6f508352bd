package dev.parley.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.parley.client.ClientModule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The clock alone, and as the wall clock of a module. */
class ManualClockTest {
  private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
  private final ManualClock clock = new ManualClock(START);

  @Test
  void itReadsItsStartUntilAdvanced() {
    assertEquals(START, clock.instant());
    assertEquals(START.toEpochMilli(), clock.millis());
    assertEquals(ZoneOffset.UTC, clock.getZone());
  }

  @Test
  void advancingMovesItByTheDurationEitherWay() {
    clock.advance(Duration.ofHours(2));
    assertEquals(START.plus(Duration.ofHours(2)), clock.instant());
    clock.advance(Duration.ofMinutes(-30));
    assertEquals(START.plus(Duration.ofMinutes(90)), clock.instant());
  }

  @Test
  void aViewInAnotherZoneReadsAndMovesTheSameInstant() {
    ManualClock paris = clock.withZone(ZoneId.of("Europe/Paris"));
    assertEquals(ZoneId.of("Europe/Paris"), paris.getZone());
    paris.advance(Duration.ofSeconds(10));
    assertEquals(START.plusSeconds(10), clock.instant());
    assertEquals(clock.instant(), paris.instant());
  }

  @Test
  void aModuleWithTheClockDatesItsSessionsByIt() {
    try (ParleyServer server = ParleyServer.builder().module(Modules.counter()).clock(clock).build().start()) {
      clock.advance(Duration.ofMinutes(5));
      assertEquals(START.plus(Duration.ofMinutes(5)).toString(), new CounterClient(server.client()).sessionCreatedAt());
    }
  }

  @Test
  void anEncryptedSessionOlderThanTheMaximumAgeByTheClockIsReplacedTransparently() {
    try (ParleyServer server = ParleyServer.builder().module(Modules.counter()).encrypted().clock(clock).build()
        .start()) {
      ClientModule module = server.client();
      CounterClient counter = new CounterClient(module);
      assertEquals(1, counter.visits());
      String first = module.sessionId().orElseThrow();

      clock.advance(Duration.ofHours(25));

      assertEquals(1, counter.visits(), "the call ran on a new session");
      assertNotEquals(first, module.sessionId().orElseThrow());
    }
  }
}
