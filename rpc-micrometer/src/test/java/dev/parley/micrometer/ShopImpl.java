package dev.parley.micrometer;

import dev.parley.RemoteException;
import dev.parley.Session;
import java.util.concurrent.CountDownLatch;

/** {@link Shop} as the tests serve it. */
public final class ShopImpl implements Shop {
  /** Released by the tests that call {@link #hang()} when they end. */
  final CountDownLatch release = new CountDownLatch(1);

  @Override
  public String hang() {
    try {
      release.await();
      return "released";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();     // the caller's deadline passed: the server interrupts us
      return "interrupted";
    }
  }

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
