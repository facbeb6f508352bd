package dev.parley.samples;

import dev.parley.RemoteException;
import dev.parley.client.Batch;
import dev.parley.client.ClientModule;
import dev.parley.samples.calculator.Calculator;
import dev.parley.samples.calculator.CalculatorClient;
import dev.parley.samples.calculator.CalculatorFunctions;
import dev.parley.samples.calculator.CalculatorImpl;
import dev.parley.server.RpcServer;
import dev.parley.server.ServerModule;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The README's main job: starts an embedded server on a free port, calls it through the generated
 * {@link CalculatorClient} with sync, async, batch and error calls, prints what happened and exits.
 *
 * <p>Run it with {@code java -jar samples/target/parley-demo.jar} after {@code mvn package}.
 */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) {
    int failures = 0;
    try (RpcServer server = RpcServer.builder()
            .host("127.0.0.1")
            .port(0)
            .module(ServerModule.builder("/calc")
                .functions(new CalculatorFunctions(new CalculatorImpl()))
                .build())
            .build()
            .start();
        ClientModule module = ClientModule.builder(server.uri() + "/calc").build()) {
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

      try {
        calc.divide(1, 0);
        failures += expect("error    divide(1, 0)", "no error", "RemoteException");
      } catch (RemoteException e) {
        failures += expect("error    divide(1, 0) -> code " + e.code() + " \"" + e.getMessage() + "\"",
            e.code(), Calculator.DIVISION_BY_ZERO);
      }
      try {
        module.call("sqrt", Map.of("x", 2), Double.class);
        failures += expect("error    sqrt (not a function)", "no error", "RemoteException");
      } catch (RemoteException e) {
        failures += expect("error    sqrt -> code " + e.code() + " \"" + e.getMessage() + "\"",
            e.code(), RemoteException.METHOD_NOT_FOUND);
      }
    }
    System.out.println(failures == 0 ? "Demo finished: every call behaved as expected."
        : "Demo finished with " + failures + " unexpected result(s).");
    System.exit(failures == 0 ? 0 : 1);
  }

  private static int expect(String what, Object actual, Object expected) {
    boolean ok = expected.equals(actual);
    System.out.printf("%-4s %s = %s%n", ok ? "ok" : "FAIL", what, actual);
    return ok ? 0 : 1;
  }

  private static List<Integer> range(int n) {
    return java.util.stream.IntStream.rangeClosed(1, n).boxed().collect(java.util.stream.Collectors.toList());
  }

  private static String abbreviate(String id) {
    return id.length() <= 6 ? id : id.substring(0, 6) + "…";
  }
}
