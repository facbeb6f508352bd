package dev.parley.samples;

import dev.parley.crypto.SecureKey;
import dev.parley.samples.calculator.CalculatorFunctions;
import dev.parley.samples.calculator.CalculatorImpl;
import dev.parley.server.ServerModule;
import java.util.function.IntSupplier;

/** What the demos share: the encrypted calculator module they serve, and how a demo ends. */
final class Demos {
  private Demos() {}

  /** A fresh calculator at {@code path}, encrypted with {@code key} and 32-byte session keys. */
  static ServerModule encryptedCalculator(String path, SecureKey key) {
    return ServerModule.builder(path)
        .encryptionKey(32)
        .secureKey(key)
        .functions(new CalculatorFunctions(new CalculatorImpl()))
        .build();
  }

  /**
   * Runs {@code demo}, which returns its number of unexpected results, prints the outcome under
   * {@code name} ({@code allWell} when there were none) and exits.
   */
  static void runAndExit(String name, String allWell, IntSupplier demo) {
    int failures;
    try {
      failures = demo.getAsInt();
    } catch (RuntimeException e) {
      System.out.println("FAIL the demo stopped: " + e);
      failures = 1;
    }
    System.out.println(failures == 0 ? name + " finished: " + allWell
        : name + " finished with " + failures + " unexpected result(s).");
    System.exit(failures == 0 ? 0 : 1);
  }
}
