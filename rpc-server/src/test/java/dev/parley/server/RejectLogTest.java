package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The rate-limited INFO lines about refused handshakes and frames, on a ticker the test moves. */
class RejectLogTest {
  private final FakeTicker ticker = new FakeTicker();
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final RejectLog log = new RejectLog("/calc", ticker, lines::add);

  @Test
  void firstRefusalOfAReasonIsLoggedAtOnce() {
    log.rejected(RejectLog.Kind.FRAME, Rejection.AUTHENTICATION);
    assertEquals(List.of("/calc: a sealed frame was refused (authentication); more of these are counted and logged"
        + " at most once a minute"), lines);
  }

  @Test
  void refusalsWithinAMinuteAreCountedIntoTheNextLine() {
    log.rejected(RejectLog.Kind.FRAME, Rejection.REPLAYED);
    ticker.advance(Duration.ofSeconds(10));
    log.rejected(RejectLog.Kind.FRAME, Rejection.REPLAYED);
    log.rejected(RejectLog.Kind.FRAME, Rejection.REPLAYED);
    assertEquals(1, lines.size());
    ticker.advance(Duration.ofSeconds(50));
    log.rejected(RejectLog.Kind.FRAME, Rejection.REPLAYED);
    assertEquals("/calc: 3 sealed frames were refused (replayed) in the 60 s since the last such line", lines.get(1));
    assertEquals(2, lines.size());
  }

  @Test
  void aRefusalAMinuteAfterTheLastLineIsLoggedAlone() {
    log.rejected(RejectLog.Kind.HANDSHAKE, Rejection.UNKNOWN_KEY_ID);
    ticker.advance(Duration.ofMinutes(5));
    log.rejected(RejectLog.Kind.HANDSHAKE, Rejection.UNKNOWN_KEY_ID);
    assertEquals("/calc: 1 handshake message was refused (unknown_key_id) in the 300 s since the last such line",
        lines.get(1));
  }

  @Test
  void eachKindAndReasonHasItsOwnLimit() {
    log.rejected(RejectLog.Kind.FRAME, Rejection.AUTHENTICATION);
    log.rejected(RejectLog.Kind.FRAME, Rejection.UNKNOWN_SESSION);
    log.rejected(RejectLog.Kind.HANDSHAKE, Rejection.AUTHENTICATION);
    log.rejected(RejectLog.Kind.FRAME, Rejection.AUTHENTICATION);
    assertEquals(List.of(
        "/calc: a sealed frame was refused (authentication); more of these are counted and logged at most once a minute",
        "/calc: a sealed frame was refused (unknown_session); more of these are counted and logged at most once a minute",
        "/calc: a handshake message was refused (authentication); more of these are counted and logged at most once a"
            + " minute"), lines);
  }
}
