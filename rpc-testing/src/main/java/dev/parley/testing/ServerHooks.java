package dev.parley.testing;

import dev.parley.crypto.SecureKey;
import dev.parley.server.ServerModule;
import dev.parley.server.internal.TestHooks;

/**
 * The one place that puts a {@link ParleyServer}'s settings into the module builders. The ticker
 * and the clock go through rpc-server's {@link TestHooks} (not API): production builders do not
 * show them.
 */
final class ServerHooks {
  private ServerHooks() {}

  /** Sets {@code key}, {@code ticker}, {@code clock} and {@code deadlines}, each only when not null. */
  static void install(ServerModule.Builder module, SecureKey key, ManualTicker ticker, ManualClock clock,
      ManualDeadlines deadlines) {
    if (key != null) {
      try {
        module.secureKey(key);
      } catch (IllegalStateException e) {
        throw new IllegalStateException("a module given to ParleyServer already has a SecureKey: encrypted() gives"
            + " every module the server's key; set the keys on the modules yourself or call encrypted(), not"
            + " both", e);
      }
    }
    if (ticker != null) {
      TestHooks.ticker(module, ticker);
    }
    if (clock != null) {
      TestHooks.clock(module, clock);
    }
    if (deadlines != null) {
      TestHooks.deadlineScheduler(module, deadlines.scheduler());
    }
  }
}
