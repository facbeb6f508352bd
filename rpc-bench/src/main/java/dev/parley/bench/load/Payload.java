package dev.parley.bench.load;

import java.util.Random;

/** A cell's payload: {@code tiny} is add(1, 2); the others echo that many random bytes. */
record Payload(String name, byte[] bytes) {
  static Payload parse(String name) {
    switch (name) {
      case "tiny":
        return new Payload(name, null);
      case "64k":
        return new Payload(name, random(64 * 1024));
      case "1m":
        return new Payload(name, random(1024 * 1024));
      default:
        throw new IllegalArgumentException("payload must be tiny, 64k or 1m, was " + name);
    }
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }
}
