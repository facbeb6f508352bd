package dev.parley.micrometer;

import dev.parley.RemoteFunction;
import dev.parley.Session;

/** The API the metrics tests serve and call through the generated ShopClient. */
public interface Shop {
  @RemoteFunction int add(int a, int b);

  /** Always fails with the application error {@code code}. */
  @RemoteFunction String refuse(int code);

  /** Ends the caller's session. */
  @RemoteFunction String logout(Session session);
}
