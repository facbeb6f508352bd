package dev.parley.micrometer;

import dev.parley.RemoteFunction;
import dev.parley.Session;

/** The API the metrics tests serve and call through the generated ShopClient. */
public interface Shop {
  @RemoteFunction int add(int a, int b);

  /** Always fails with the application error {@code code}. */
  @RemoteFunction String refuse(int code);

  /** Waits until the test releases it (or the caller's deadline interrupts it). */
  @RemoteFunction String hang();

  /** Ends the caller's session. */
  @RemoteFunction String logout(Session session);
}
