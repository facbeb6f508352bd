package dev.parley.it.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.CallOutcome;
import dev.parley.client.ClientModule;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server process is restarted on its port while 8 callers keep calling the non-idempotent
 * {@code transfer}: once killed with SIGKILL, once stopped gracefully with SIGTERM. The ledger file
 * (written by the function, surviving the kill) is the record: no transfer ran twice, every success
 * ran once, no "not run" claim was false, and no call that started while the server was down failed.
 * A graceful stop fails no call at all; a kill can only leave the calls that were in flight at that
 * moment with an unknown outcome.
 */
class RestartUnderLoadTest {
  private static final int CALLERS = 8;

  @TempDir
  Path dir;

  @Test
  void aServerKilledAndRestartedUnderLoadRunsNothingTwiceAndFailsNoCallStartedWhileItWasDown() throws Exception {
    Load.Result result = restart(false);
    System.out.println("restart after SIGKILL under " + CALLERS + " callers: " + result.summary());
    result.assertExactlyOnce();
    assertEquals(0, result.failedStartedAfter(result.downAt()), result.failures().toString());
    for (Load.Call failed : result.failures()) {
      assertTrue(failed.start() < result.downAt(), "only calls in flight at the kill may fail: " + failed);
      assertEquals(CallOutcome.UNKNOWN, failed.outcome(), "a call in flight at the kill: " + failed);
    }
  }

  @Test
  void aServerStoppedGracefullyAndRestartedUnderLoadFailsNoCallAndRunsNothingTwice() throws Exception {
    Load.Result result = restart(true);
    System.out.println("restart after SIGTERM under " + CALLERS + " callers: " + result.summary());
    result.assertExactlyOnce();
    assertEquals(List.of(), result.failures(), "a graceful stop answers what it does not run; nothing fails");
  }

  private Load.Result restart(boolean graceful) throws Exception {
    Path ledger = dir.resolve("ledger.txt");
    Path key = Load.keyFile(dir);
    // A graceful stop drains for a moment with the port open (RpcServer.Builder.drainTime), so that
    // every client's keep-alive connection is closed after an answer, never under a request.
    long drainMillis = graceful ? 300 : 0;
    NodeProcess first = NodeProcess.start(0, ledger, key, "first", drainMillis);
    int port = first.port;
    String url = "http://127.0.0.1:" + port + "/ledger";
    try (Load load = new Load(ledger, CALLERS, i -> ClientModule.builder(url).secureKeyFile(key).build())) {
      load.start();
      load.awaitSuccesses(CALLERS * 10);
      if (graceful) {
        first.stopGracefully();
      } else {
        first.kill();
      }
      long downAt = System.nanoTime();
      try (NodeProcess second = NodeProcess.start(port, ledger, key, "second", 0)) {
        long upAt = System.nanoTime();
        load.awaitSuccessesStartedAfter(upAt, CALLERS * 10);
        load.awaitEachCallerSucceededAfter(upAt);
        return load.stop(downAt, upAt);
      }
    } finally {
      first.close();
    }
  }
}
