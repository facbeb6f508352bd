package dev.parley.samples;

import dev.parley.RemoteException;
import dev.parley.client.Batch;
import dev.parley.client.ClientModule;
import dev.parley.crypto.HttpBinding;
import dev.parley.crypto.SecureKey;
import dev.parley.samples.calculator.Calculator;
import dev.parley.samples.calculator.CalculatorClient;
import dev.parley.samples.calculator.CalculatorFunctions;
import dev.parley.samples.calculator.CalculatorImpl;
import dev.parley.samples.calculator.DivisionByZeroException;
import dev.parley.server.RpcServer;
import dev.parley.server.ServerModule;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import okhttp3.OkHttpClient;

/**
 * The README's main job: starts an embedded server on a free port with a plain module and an
 * encrypted one, calls both through the generated {@link CalculatorClient} with sync, async, batch
 * and error calls, shows what a proxy sees of an encrypted call, runs the {@link WrongKeyDemo} and
 * the {@link ChatDemo} (server push by delayed calls), prints what happened and exits (status 0
 * only if everything behaved).
 *
 * <p>Run it with {@code java -jar samples/target/parley-demo.jar} after {@code mvn package}.
 */
public final class Demo {
  private static final String SEALED = HttpBinding.SEALED_TYPE;

  private Demo() {}

  public static void main(String[] args) {
    Demos.runAndExit("Demo", "every call behaved as expected.", Demo::run);
  }

  /** Runs the whole demo, printing as it goes; returns the number of unexpected results. */
  static int run() {
    int failures = 0;
    // The encrypted module's SecureKey: 32 random bytes made now, given to the server module and
    // to its client, never printed. (In production both sides read it from a key file.)
    byte[] keyBytes = new byte[32];
    new SecureRandom().nextBytes(keyBytes);
    SecureKey serverKey = SecureKey.fromBytes(keyBytes);
    SecureKey clientKey = SecureKey.fromBytes(keyBytes);
    Arrays.fill(keyBytes, (byte) 0);
    WireTap tap = new WireTap(SEALED);
    OkHttpClient tapped = new OkHttpClient.Builder().addNetworkInterceptor(tap).build();
    try (RpcServer server = RpcServer.builder()
            .host("127.0.0.1")
            .port(0)
            .module(ServerModule.builder("/calc")
                .functions(new CalculatorFunctions(new CalculatorImpl()))
                .build())
            .module(Demos.encryptedCalculator("/secure-calc", serverKey))
            .build()
            .start();
        ClientModule module = ClientModule.builder(server.uri() + "/calc").build();
        ClientModule secure = ClientModule.builder(server.uri() + "/secure-calc")
            .encryptionKey(32)
            .secureKey(clientKey)
            .okHttpClient(tapped)   // only to show the wire below; not needed otherwise
            .build()) {
      System.out.println("Parley demo: server listening on " + server.uri() + "/calc");
      CalculatorClient calc = new CalculatorClient(module);

      failures += expect("sync     add(1, 2)", calc.add(1, 2), 3);
      failures += expect("async    addAsync(20, 22)", calc.addAsync(20, 22).join(), 42);
      failures += expect("async    total([1..100])", calc.total(range(100)).join(), 5050L);
      List<Calculator.Entry> table = calc.table(7);
      failures += expect("generic  table(7).get(2)", table.get(2), new Calculator.Entry("7 x 3", 21));

      calc.accumulate(5);
      failures += expect("session  accumulate(5) then accumulate(10)", calc.accumulate(10), 15L);
      System.out.println("         session id " + abbreviate(module.sessionId().orElse("none")));

      Batch batch = module.batch();
      CompletableFuture<Integer> sum = batch.call("add", Map.of("a", 2, "b", 3), Integer.class);
      CompletableFuture<Integer> quotient = batch.call("divide", List.of(10, 4), Integer.class);
      CompletableFuture<Integer> broken = batch.call("divide", Map.of("a", 1, "b", 0), Integer.class);
      batch.execute();
      failures += expect("batch    add(2, 3)", sum.join(), 5);
      failures += expect("batch    divide(10, 4)", quotient.join(), 2);
      failures += expect("batch    divide(1, 0) fails", broken.isCompletedExceptionally(), true);

      failures += expect("varargs  sum(1, 2, 4)", calc.sum(1, 2, 4), 7);
      failures += expect("generic  sum by position [1, 2, 4]", module.call("sum", List.of(1, 2, 4), Integer.class), 7);
      failures += expectDivisionByZero(calc, 7);
      try {
        module.call("divide", List.of(7, 0), Integer.class);
        failures += expect("error    generic divide(7, 0)", "no error", "RemoteException");
      } catch (RemoteException e) {
        failures += expect("error    generic divide(7, 0) -> code " + e.code() + " \"" + e.getMessage() + "\"",
            e.code(), Calculator.DIVISION_BY_ZERO);
      }
      try {
        module.call("sqrt", Map.of("x", 2), Double.class);
        failures += expect("error    sqrt (not a function)", "no error", "RemoteException");
      } catch (RemoteException e) {
        failures += expect("error    sqrt -> code " + e.code() + " \"" + e.getMessage() + "\"",
            e.code(), RemoteException.METHOD_NOT_FOUND);
      }

      failures += encryptedTour(server, secure, tap);
    } finally {
      tapped.dispatcher().executorService().shutdown();
      tapped.connectionPool().evictAll();
    }
    System.out.println();
    failures += WrongKeyDemo.run(System.out);
    System.out.println();
    failures += ChatDemo.run(System.out);
    return failures;
  }

  /** The same calculator on an encrypted module: what changes is the wire, not the code. */
  private static int encryptedTour(RpcServer server, ClientModule secure, WireTap tap) {
    int failures = 0;
    System.out.println();
    System.out.println("Encrypted module " + server.uri() + "/secure-calc: encryptionKey 32, SecureKey of 32 random"
        + " bytes made at start (not shown)");
    CalculatorClient calc = new CalculatorClient(secure);
    failures += expect("sync     add(1, 2)  [runs the handshake first]", calc.add(1, 2), 3);
    System.out.println("         session id " + abbreviate(secure.sessionId().orElse("none")));

    tap.arm();
    int answer = calc.add(20, 22);
    failures += expect("sync     add(20, 22)", answer, 42);
    WireTap.Seen seen = tap.seen();
    if (seen == null) {
      failures += expect("wire     the call was seen on the wire", false, true);
    } else {
      failures += showWire(seen, answer);
    }

    failures += expect("async    addAsync(2, 40)", calc.addAsync(2, 40).join(), 42);
    failures += expect("async    total([1..1000])", calc.total(range(1000)).join(), 500_500L);
    failures += expect("generic  table(9).get(8)", calc.table(9).get(8), new Calculator.Entry("9 x 9", 81));
    calc.accumulate(7);
    failures += expect("session  accumulate(7) then accumulate(8)", calc.accumulate(8), 15L);
    failures += expectDivisionByZero(calc, 1);
    return failures;
  }

  /** Prints what a proxy saw of one encrypted call next to the decrypted result. */
  private static int showWire(WireTap.Seen seen, int decrypted) {
    System.out.println("         what a proxy between client and server saw of that call:");
    System.out.println("           > " + seen.requestLine());
    seen.requestHeaders().forEach(h -> System.out.println("           > " + h.getFirst() + ": " + h.getSecond()));
    System.out.println("           > body, " + seen.requestBody().length + " bytes: " + frame(seen.requestBody(), false));
    System.out.println("           < HTTP " + seen.status());
    seen.answerHeaders().forEach(h -> System.out.println("           < " + h.getFirst() + ": " + h.getSecond()));
    System.out.println("           < body, " + seen.answerBody().length + " bytes: " + frame(seen.answerBody(), true));
    System.out.println("         what the client decrypted: the result " + decrypted);
    int failures = 0;
    String requestText = new String(seen.requestBody(), StandardCharsets.ISO_8859_1);
    String answerText = new String(seen.answerBody(), StandardCharsets.ISO_8859_1);
    failures += expect("wire     request sent as " + SEALED,
        String.valueOf(seen.requestHeaders().get("Content-Type")).startsWith(SEALED), true);
    failures += expect("wire     JSON-RPC text visible in either body",
        requestText.contains("jsonrpc") || requestText.contains("add") || answerText.contains("result"), false);
    return failures;
  }

  /** A frame's clear header fields (PROTOCOL.md §10.1) and the first bytes of its ciphertext, as hex. */
  private static String frame(byte[] body, boolean response) {
    int header = response ? 37 : 29;
    if (body.length < header) {
      return hex(body, 0, body.length);
    }
    String text = "type " + hex(body, 0, 1) + " | epoch " + hex(body, 1, 5) + " | sid " + hex(body, 5, 21)
        + " | ctr " + hex(body, 21, 29);
    if (response) {
      text += " | reqCtr " + hex(body, 29, 37);
    }
    int shown = Math.min(body.length, header + 16);
    return text + " | ciphertext " + hex(body, header, shown) + (shown < body.length ? "…" : "");
  }

  private static String hex(byte[] bytes, int from, int to) {
    return HexFormat.of().formatHex(bytes, from, to);
  }

  private static int expect(String what, Object actual, Object expected) {
    boolean ok = expected.equals(actual);
    System.out.printf("%-4s %s = %s%n", ok ? "ok" : "FAIL", what, actual);
    return ok ? 0 : 1;
  }

  /** Calls {@code divide(dividend, 0)}, which must fail with the dividend as the error's data. */
  private static int expectDivisionByZero(CalculatorClient calc, int dividend) {
    String call = "error    divide(" + dividend + ", 0)";
    try {
      calc.divide(dividend, 0);
      return expect(call, "no error", "DivisionByZeroException");
    } catch (DivisionByZeroException e) {
      return expect(call + " -> DivisionByZeroException \"" + e.getMessage() + "\", dividend", e.data(), dividend);
    }
  }

  private static List<Integer> range(int n) {
    return java.util.stream.IntStream.rangeClosed(1, n).boxed().collect(java.util.stream.Collectors.toList());
  }

  private static String abbreviate(String id) {
    return id.length() <= 6 ? id : id.substring(0, 6) + "…";
  }
}
