package dev.parley.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.RemoteException;

/** The calls both metrics tests count: three good ones and one the server answers with error 4000. */
final class ShopCalls {
  private ShopCalls() {}

  static void threeGoodAndOneRefused(ShopClient shop) {
    assertEquals(3, shop.add(1, 2));
    assertEquals(5, shop.add(2, 3));
    assertEquals(7, shop.add(3, 4));
    assertEquals(4000, assertThrows(RemoteException.class, () -> shop.refuse(4000)).code());
  }
}
