package dev.parley.samples;

import java.util.function.IntSupplier;

/** How a demo ends: it prints whether every result was as expected and exits 0 if so, 1 if not. */
final class DemoExit {
  private DemoExit() {}

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
