package dev.parley.it.calc;

import dev.parley.RemoteFunction;
import dev.parley.Session;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The remote API the end-to-end tests call through the generated CalculatorClient. */
public interface Calculator {
  /** The application error code {@link #divide} answers for a zero divisor. */
  int DIVISION_BY_ZERO = 1001;

  @RemoteFunction int add(int a, int b);

  /** Integer division; a zero divisor is answered with {@link #DIVISION_BY_ZERO}. */
  @RemoteFunction int divide(int a, int b);

  /** The last {@code limit} additions, newest first. */
  @RemoteFunction(idempotent = true) List<Entry> history(int limit);

  @RemoteFunction byte[] echoBytes(byte[] data);

  @RemoteFunction Optional<String> echoOptional(Optional<String> value);

  @RemoteFunction Unit echoUnit(Unit unit);

  @RemoteFunction Map<String, List<Integer>> echoMap(Map<String, List<Integer>> value);

  /** Counts the calls made in the caller's session, this one included. */
  @RemoteFunction int countCalls(Session session);

  /** Squares {@code x} on another thread. */
  @RemoteFunction CompletableFuture<Integer> squareLater(int x);

  /** Records {@code message} on the server (called as a notification). */
  @RemoteFunction void log(String message);

  /** Returns {@code key} once the test releases it. */
  @RemoteFunction String waitFor(String key);

  /** Fails with an exception that is not a RemoteException. */
  @RemoteFunction int fail(String message);

  record Entry(String op, int a, int b, int result) {}

  enum Unit { METRE, SECOND, KILOGRAM }
}
