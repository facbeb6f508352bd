package dev.parley.samples;

import dev.parley.client.ClientModule;
import dev.parley.client.WrongSecureKeyException;
import dev.parley.crypto.SecureKey;
import dev.parley.samples.calculator.CalculatorClient;
import dev.parley.server.RpcServer;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Two clients with different SecureKeys call one encrypted server module: the one with the
 * server's key works, the other gets a clear {@link WrongSecureKeyException} and nothing runs.
 *
 * <p>Run it with {@code java -cp samples/target/parley-demo.jar dev.parley.samples.WrongKeyDemo}
 * (the {@link Demo} also runs it at its end). The keys are random bytes made at start and never
 * printed.
 */
public final class WrongKeyDemo {
  private WrongKeyDemo() {}

  public static void main(String[] args) {
    Demos.runAndExit("WrongKeyDemo", "both clients behaved as expected.", () -> run(System.out));
  }

  /** Runs the demo, printing to {@code out}; returns the number of unexpected results. */
  static int run(PrintStream out) {
    byte[] shared = randomBytes();
    byte[] other = randomBytes();
    SecureKey serverKey = SecureKey.fromBytes(shared);   // the bytes are not kept by SecureKey
    SecureKey sameKey = SecureKey.fromBytes(shared);
    SecureKey otherKey = SecureKey.fromBytes(other);
    Arrays.fill(shared, (byte) 0);
    Arrays.fill(other, (byte) 0);
    int failures = 0;
    try (RpcServer server = RpcServer.builder()
            .host("127.0.0.1")
            .port(0)
            .module(Demos.encryptedCalculator("/calc", serverKey))
            .build()
            .start();
        ClientModule right = ClientModule.builder(server.uri() + "/calc")
            .encryptionKey(32).secureKey(sameKey).build();
        ClientModule wrong = ClientModule.builder(server.uri() + "/calc")
            .encryptionKey(32).secureKey(otherKey).build()) {
      out.println("Wrong key demo: one encrypted module at " + server.uri() + "/calc, two clients");
      try {
        int sum = new CalculatorClient(wrong).add(1, 2);
        out.println("FAIL client with another SecureKey got an answer: " + sum);
        failures++;
      } catch (WrongSecureKeyException e) {
        out.println("ok   client with another SecureKey -> WrongSecureKeyException (HTTP " + e.httpStatus() + "):");
        out.println("       " + e.getMessage());
      }
      int sum = new CalculatorClient(right).add(1, 2);
      boolean ok = sum == 3;
      out.printf("%-4s client with the server's SecureKey -> add(1, 2) = %d%n", ok ? "ok" : "FAIL", sum);
      failures += ok ? 0 : 1;
    }
    return failures;
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }
}
