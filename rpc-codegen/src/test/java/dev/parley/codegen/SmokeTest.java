package dev.parley.codegen;

import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void prints() {
    Generated g = Generated.of(Sources.join(Sources.CALCULATOR, Sources.ACCOUNTS));
    System.out.println(g.compilation.diagnostics());
    System.out.println(g.source("test.CalculatorClient"));
    System.out.println(g.source("test.CalculatorFunctions"));
    System.out.println(g.source("test.AccountsClient"));
    System.out.println(g.source("test.AccountsFunctions"));
    System.out.println(g.resource("META-INF/parley/test.Calculator.openrpc.json"));
  }
}
