package dev.parley.bench;

import dev.parley.crypto.ClientChannel;
import dev.parley.crypto.ServerChannel;
import dev.parley.crypto.SessionKeys;
import java.time.Clock;
import java.util.function.Function;

/**
 * Retained heap per {@link ServerChannel} and per {@link ClientChannel}: creates many channels of
 * one side, keeps them reachable, and divides the growth of the used heap after full GCs by their
 * number. The session keys object is destroyed and dropped after each channel is built, as a
 * server does. Not JMH; run
 * with {@code java -cp rpc-bench/target-bench/benchmarks.jar dev.parley.bench.SessionFootprint [count]}.
 */
public final class SessionFootprint {
  private SessionFootprint() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    measure("server (with replay window)", count,
        keys -> ServerChannel.create(keys, ServerChannel.DEFAULT_MAX_AGE, Clock.systemUTC()));
    measure("client", count, keys -> ClientChannel.create(keys, ClientChannel.DEFAULT_MAX_AGE, Clock.systemUTC()));
  }

  private static void measure(String side, int count, Function<SessionKeys, Object> factory)
      throws InterruptedException {
    // Warm up class loading and the per-thread JCE objects so they are not counted.
    factory.apply(RandomKeys.sessionKeys());
    long before = Heap.usedAfterGc();
    Object[] channels = new Object[count];
    for (int i = 0; i < count; i++) {
      SessionKeys keys = RandomKeys.sessionKeys();
      channels[i] = factory.apply(keys);
      keys.destroy();
    }
    long after = Heap.usedAfterGc();
    System.out.printf("%-28s %,d channels: %,d bytes retained each%n", side, count, (after - before) / count);
    if (channels[count - 1] == null) {
      throw new AssertionError();  // keeps the array reachable until after the measurement
    }
  }


}
