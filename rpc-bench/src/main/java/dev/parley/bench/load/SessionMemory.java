package dev.parley.bench.load;

import dev.parley.bench.Heap;
import dev.parley.bench.RandomKeys;
import dev.parley.crypto.ClientChannel;
import dev.parley.crypto.ServerChannel;
import dev.parley.crypto.SessionKeys;
import dev.parley.server.internal.TestHooks;
import java.time.Clock;
import java.util.Locale;

/**
 * Heap bytes per idle encrypted server session: fills rpc-server's real session store (Caffeine,
 * {@code ServerSession}, a {@link ServerChannel} with its replay window) with N sessions made
 * from random session keys (the handshake itself is skipped), and divides the growth of the used
 * heap after full GCs by N. Give the JVM room: 1 M sessions need about 1 GB.
 *
 * <p>By default the sessions have received no frame (as after a handshake, or after calls that
 * arrived in order). With {@code -Dbench.reordered=true} each session first opens two requests out
 * of order (counter 1, then 0): the replay window needs its bitmap after the first and drops it
 * once the missing counter arrived (PROTOCOL.md §11). With {@code -Dbench.missing=true} each
 * session opens only counter 1, so counter 0 stays missing: the worst case for an idle session,
 * whose window then keeps its bitmap until the missing counter leaves the window.
 *
 * <pre>
 * java -Xmx4g -cp rpc-bench/target-bench/benchmarks.jar dev.parley.bench.load.SessionMemory 100000 1000000
 * java -Xmx4g -Dbench.reordered=true -cp rpc-bench/target-bench/benchmarks.jar dev.parley.bench.load.SessionMemory 100000
 * java -Xmx4g -Dbench.missing=true -cp rpc-bench/target-bench/benchmarks.jar dev.parley.bench.load.SessionMemory 100000
 * </pre>
 */
public final class SessionMemory {

  private SessionMemory() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    String[] counts = args.length > 0 ? args : new String[] {"100000", "1000000"};
    System.out.println("| sessions | retained heap | bytes per idle encrypted session |");
    System.out.println("| ---: | ---: | ---: |");
    for (String text : counts) {
      int count = Integer.parseInt(text);
      if (count < 1 || count > 5_000_000) {
        throw new IllegalArgumentException("count must be 1 to 5 000 000, was " + count);
      }
      measure(count);
    }
  }

  private static void measure(int count) throws InterruptedException {
    // Warm-up: class loading, per-thread JCE objects, Caffeine's internals are not counted.
    TestHooks.SessionStoreHandle warm = TestHooks.sessionStore(10);
    warm.addEncrypted("warm", server(RandomKeys.sessionKeys()));
    warm.cleanUp();
    long before = Heap.usedAfterGc();
    TestHooks.SessionStoreHandle store = TestHooks.sessionStore(count);
    boolean reordered = Boolean.getBoolean("bench.reordered");
    boolean missing = Boolean.getBoolean("bench.missing");
    for (int i = 0; i < count; i++) {
      SessionKeys keys = RandomKeys.sessionKeys();
      ServerChannel server = server(keys);
      if (reordered || missing) {
        receiveOutOfOrder(ClientChannel.create(keys, ClientChannel.DEFAULT_MAX_AGE, Clock.systemUTC()), server, !missing);
      }
      if (!store.addEncrypted(keys.sessionIdText(), server)) {
        throw new IllegalStateException("session id collision");
      }
      keys.destroy();
    }
    store.cleanUp();
    long after = Heap.usedAfterGc();
    if (store.size() != count) {
      throw new IllegalStateException("store holds " + store.size() + " sessions, expected " + count);
    }
    String frames = missing ? " (each received counter 1, never 0)"
        : reordered ? " (each received counters 1, then 0)" : "";
    System.out.printf(Locale.ROOT, "| %,d%s | %,d MiB | %,d |%n", count, frames,
        (after - before) >> 20, (after - before) / count);
    // -Dbench.holdSeconds=N keeps the sessions alive N more seconds (at most 120) so that
    // `jcmd <pid> GC.class_histogram` can break the figure down.
    long hold = Math.min(120, Long.getLong("bench.holdSeconds", 0));
    if (hold > 0) {
      System.out.println("holding " + hold + " s for a heap histogram (pid " + ProcessHandle.current().pid() + ")");
      Thread.sleep(hold * 1000);
    }
    if (store.size() != count) {
      throw new IllegalStateException("sessions were lost while holding");
    }
  }

  private static final byte[] BODY = "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":[1,2],\"id\":1}"
      .getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** The server opens the client's request 1, then (if {@code late}) request 0. */
  private static void receiveOutOfOrder(ClientChannel client, ServerChannel server, boolean late) {
    try {
      byte[] first = client.sealRequest("POST", "/bench", BODY).frame();
      byte[] second = client.sealRequest("POST", "/bench", BODY).frame();
      server.openRequestInPlace(second, 0, second.length, "POST", "/bench");
      if (late) {
        server.openRequestInPlace(first, 0, first.length, "POST", "/bench");
      }
      client.destroy();
    } catch (dev.parley.crypto.CryptoException e) {
      throw new IllegalStateException("an honest frame was rejected", e);
    }
  }

  private static ServerChannel server(SessionKeys keys) {
    return ServerChannel.create(keys, ServerChannel.DEFAULT_MAX_AGE, Clock.systemUTC());
  }



}
