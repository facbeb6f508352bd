package dev.parley.cli;

import dev.parley.RemoteFunction;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The API the CLI tests call; rpc-codegen generates its dispatcher and OpenRPC document here. */
public interface Calculator {
  /** Application error code for a division by zero. */
  int DIVISION_BY_ZERO = 1001;

  /** Adds two numbers. */
  @RemoteFunction
  int add(int a, int b);

  /** Integer division; a zero divisor is answered with error {@link #DIVISION_BY_ZERO}. */
  @RemoteFunction
  int divide(int a, int b);

  /** The text, unchanged. */
  @RemoteFunction
  String echo(String text);

  /** The sum of the numbers. */
  @RemoteFunction
  long sum(List<Integer> numbers);

  /** The multiplication table of n. */
  @RemoteFunction(idempotent = true)
  List<Entry> table(int n);

  /** Records a message (the tests send it as a notification). */
  @RemoteFunction
  void log(String message);

  /** Answers only when the test releases it (the timeout test). */
  @RemoteFunction
  CompletableFuture<String> hold();

  /** One line of a table. */
  record Entry(String expression, long result) {}
}
