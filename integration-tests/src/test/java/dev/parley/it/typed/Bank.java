package dev.parley.it.typed;

import dev.parley.RemoteFunction;
import dev.parley.Session;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.concurrent.CompletableFuture;

/** Typed errors, rest parameters, exact numbers and a Session function, end to end. */
public interface Bank {
  /** Draws {@code amount}; the new balance. */
  @RemoteFunction long withdraw(long amount) throws InsufficientFundsException, AccountClosedException;

  /** Pays {@code amount} in on another thread; the new balance. */
  @RemoteFunction CompletableFuture<Long> depositLater(long amount) throws AccountClosedException;

  /** Throws {@link AccountClosedException} without declaring it: not a typed error of this function. */
  @RemoteFunction long audit();

  /** Fails with a message meant for the server's log only. */
  @RemoteFunction long reconcile();

  @RemoteFunction int total(int... amounts);

  @RemoteFunction String join(String separator, String... parts);

  @RemoteFunction BigDecimal scale(BigDecimal amount, BigInteger factor);

  /** How many calls this caller's session made to it, this one included. */
  @RemoteFunction int visits(Session session);
}
