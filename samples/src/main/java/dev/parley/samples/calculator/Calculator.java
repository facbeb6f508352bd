package dev.parley.samples.calculator;

import dev.parley.RemoteFunction;
import dev.parley.Session;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The sample API. The annotation processor turns it into {@code CalculatorClient} (a typed stub
 * for callers) and {@code CalculatorFunctions} (the server's dispatcher).
 */
public interface Calculator {
  /** The code of {@link DivisionByZeroException}, the typed error of {@link #divide}. */
  int DIVISION_BY_ZERO = 1001;

  @RemoteFunction
  int add(int a, int b);

  /** Integer division; dividing by zero fails with {@link DivisionByZeroException}. */
  @RemoteFunction
  int divide(int a, int b) throws DivisionByZeroException;

  /** The sum of the numbers: a rest parameter, so {@code sum(1, 2, 4)} works by position too. */
  @RemoteFunction
  int sum(int... numbers);

  /** The sum of all numbers, computed on the server's asynchronous path. */
  @RemoteFunction
  CompletableFuture<Long> total(List<Integer> numbers);

  /** The multiplication table of {@code n}, from n × 1 to n × 10. */
  @RemoteFunction(idempotent = true)
  List<Entry> table(int n);

  /** Adds {@code value} to this session's running sum and returns the new sum. */
  @RemoteFunction
  long accumulate(int value, Session session);

  /** One computed result. */
  record Entry(String expression, long result) {}
}
