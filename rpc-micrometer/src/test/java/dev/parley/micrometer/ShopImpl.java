package dev.parley.micrometer;

import dev.parley.RemoteException;
import dev.parley.Session;

/** {@link Shop} as the tests serve it. */
public final class ShopImpl implements Shop {
  @Override
  public int add(int a, int b) {
    return a + b;
  }

  @Override
  public String refuse(int code) {
    throw new RemoteException(code, "refused");
  }

  @Override
  public String logout(Session session) {
    session.invalidate();
    return "bye";
  }
}
