package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.crypto.ServerChannel;
import dev.parley.crypto.SessionKeys;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The store's retirement records (PROTOCOL.md §13.2 steps 3 and 5). */
class RetiredSessionsTest {
  private final FakeTicker ticker = new FakeTicker();

  private CaffeineSessionStore store(long retiredRecords) {
    return new CaffeineSessionStore(Duration.ofMinutes(10), 100, retiredRecords, null, null, ticker, Runnable::run,
        false, Clock.systemUTC());
  }

  private static ServerChannel channel() {
    SecureRandom random = new SecureRandom();
    byte[][] parts = {new byte[16], new byte[32], new byte[12], new byte[32], new byte[12], new byte[32], new byte[16]};
    for (byte[] part : parts) {
      random.nextBytes(part);
    }
    return ServerChannel.create(new SessionKeys(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], parts[6]),
        ServerChannel.DEFAULT_MAX_AGE, Clock.systemUTC());
  }

  @Test
  void anInvalidatedSessionLeavesARecordForTheRetentionPeriod() {
    CaffeineSessionStore store = store(10);
    ServerSession session = store.createEncrypted(SessionIds.next(), channel());
    store.invalidate(session.id());
    assertNull(store.peek(session.id()));
    assertNotNull(store.retired(session.id()));
    ticker.advance(SessionStore.RETIRED_RETENTION.plusSeconds(1));
    assertNull(store.retired(session.id()));
  }

  @Test
  void aSessionEvictedForSpaceIsRetiredBeforeItCanBeMissed() {
    CaffeineSessionStore store = new CaffeineSessionStore(Duration.ofMinutes(10), 1, 10, null, null, ticker,
        Runnable::run, false, Clock.systemUTC());
    ServerSession first = store.createEncrypted(SessionIds.next(), channel());
    store.createEncrypted(SessionIds.next(), channel());
    store.cleanUp();
    assertNull(store.peek(first.id()));
    assertNotNull(first.retired(), "retired by the eviction itself");
    assertNotNull(store.retired(first.id()));
  }

  @Test
  void droppingARecordEarlyMakesTheStoreUnsureForOneRetentionPeriod() {
    CaffeineSessionStore store = store(2);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(store.createEncrypted(SessionIds.next(), channel()).id());
    }
    assertFalse(store.forgotRetirements());
    ids.forEach(store::invalidate);
    store.cleanUp();
    assertTrue(store.forgotRetirements(), "one of three records did not fit");
    ticker.advance(SessionStore.RETIRED_RETENTION.plusSeconds(1));
    assertFalse(store.forgotRetirements());
  }

  @Test
  void aSessionIdWithARecordIsNotGivenOutAgain() {
    CaffeineSessionStore store = store(10);
    ServerSession session = store.createEncrypted(SessionIds.next(), channel());
    store.invalidate(session.id());
    assertNull(store.createEncrypted(session.id(), channel()));
    assertEquals(0, store.size());
  }
}
