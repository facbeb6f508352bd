package dev.parley.it.typed;

import dev.parley.Session;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** One account holding 100 until it is closed. */
public final class BankImpl implements Bank {
  final AtomicLong balance = new AtomicLong(100);
  volatile boolean closed;

  @Override
  public long withdraw(long amount) throws InsufficientFundsException {
    if (closed) {
      throw new AccountClosedException("account closed");
    }
    long current = balance.get();
    if (amount > current) {
      throw new InsufficientFundsException("insufficient funds",
          new InsufficientFundsException.Shortfall(current, amount));
    }
    return balance.addAndGet(-amount);
  }

  @Override
  public CompletableFuture<Long> depositLater(long amount) {
    return CompletableFuture.supplyAsync(() -> {
      if (closed) {
        throw new AccountClosedException("account closed");
      }
      return balance.addAndGet(amount);
    });
  }

  @Override
  public long audit() {
    throw new AccountClosedException("closed during the audit");
  }

  @Override
  public long reconcile() {
    throw new IllegalStateException("jdbc:postgresql://db.internal:5432/ledger refused the connection");
  }

  @Override
  public int total(int... amounts) {
    return Arrays.stream(amounts).sum();
  }

  @Override
  public String join(String separator, String... parts) {
    return String.join(separator, parts);
  }

  @Override
  public BigDecimal scale(BigDecimal amount, BigInteger factor) {
    return amount.multiply(new BigDecimal(factor));
  }

  @Override
  public int visits(Session session) {
    return ((AtomicInteger) session.attributes().computeIfAbsent("visits", k -> new AtomicInteger()))
        .incrementAndGet();
  }
}
