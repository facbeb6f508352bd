package dev.parley.it.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.CallOutcome;
import dev.parley.TransportException;
import dev.parley.client.ClientModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Callers that each call {@code transfer} with ids of their own in a loop, on a client module of
 * their own (so on a session of their own), recording every call's id, start, end and outcome.
 * Waiting for progress uses the callers' own counts (no sleeps); {@link #stop} ends the loops.
 */
final class Load implements AutoCloseable {
  /** One call as the caller saw it. */
  record Call(String id, long start, long end, boolean ok, CallOutcome outcome, String detail) {
    /** The caller, from the id ({@code c3-17}: caller c3). */
    String caller() {
      return id.substring(0, id.indexOf('-'));
    }

    @Override
    public String toString() {
      return id + (ok ? " ok on " + detail : " failed " + outcome + ": " + detail);
    }
  }

  private final Path ledger;
  private final List<Thread> threads = new ArrayList<>();
  private final List<ClientModule> modules = new ArrayList<>();
  private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
  private final AtomicInteger successes = new AtomicInteger();
  private final Object progress = new Object();
  private volatile boolean stopping;

  Load(Path ledger, int callers, IntFunction<ClientModule> client) {
    this.ledger = ledger;
    for (int i = 0; i < callers; i++) {
      ClientModule module = client.apply(i);
      modules.add(module);
      LedgerClient ledgerClient = new LedgerClient(module);
      String caller = "c" + i;
      threads.add(new Thread(() -> run(caller, ledgerClient), "caller-" + i));
    }
  }

  /** A SecureKey file (0600) in {@code dir}, for the nodes and the clients. */
  static Path keyFile(Path dir) throws IOException {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Path file = dir.resolve("ledger.key");
    Files.writeString(file, HexFormat.of().formatHex(key), StandardCharsets.US_ASCII);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  void start() {
    threads.forEach(Thread::start);
  }

  private void run(String caller, LedgerClient client) {
    for (int n = 0; !stopping; n++) {
      String id = caller + "-" + n;
      long start = System.nanoTime();
      try {
        String node = client.transfer(id);   // the node that ran it
        calls.add(new Call(id, start, System.nanoTime(), true, null, node));
        successes.incrementAndGet();
      } catch (TransportException e) {
        calls.add(new Call(id, start, System.nanoTime(), false, e.outcome(), e.getMessage()));
      } catch (RuntimeException e) {
        calls.add(new Call(id, start, System.nanoTime(), false, CallOutcome.UNKNOWN, e.toString()));
      }
      synchronized (progress) {
        progress.notifyAll();
      }
    }
  }

  /** The calls finished so far (a snapshot, in no particular order). */
  List<Call> snapshot() {
    return List.copyOf(calls);
  }

  /** Waits until {@code count} calls succeeded in all. */
  void awaitSuccesses(int count) throws InterruptedException {
    awaitUntil(() -> successes.get() >= count, "" + count + " successful calls");
  }

  /** Waits until {@code count} calls that started after {@code nanos} succeeded. */
  void awaitSuccessesStartedAfter(long nanos, int count) throws InterruptedException {
    awaitUntil(() -> calls.stream().filter(c -> c.ok() && c.start() > nanos).count() >= count,
        count + " successful calls started after the restart");
  }

  /** Waits until every caller has had a call that started after {@code nanos} succeed. */
  void awaitEachCallerSucceededAfter(long nanos) throws InterruptedException {
    int callers = threads.size();
    awaitUntil(() -> calls.stream().filter(c -> c.ok() && c.start() > nanos).map(Call::caller).distinct().count() >= callers,
        "a successful call of every caller after the event");
  }

  private void awaitUntil(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    synchronized (progress) {
      while (!done.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no progress: waited 120 s for " + what + "; calls so far: " + calls.size());
        }
        TimeUnit.NANOSECONDS.timedWait(progress, left);   // woken by every finished call
      }
    }
  }

  /** Ends the loops, waits for the callers, and returns what happened. */
  Result stop(long downAt, long upAt) throws InterruptedException, IOException {
    stopping = true;
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(120));
    }
    return new Result(List.copyOf(calls), ledgerCounts(), downAt, upAt);
  }

  private Map<String, Integer> ledgerCounts() throws IOException {
    Map<String, Integer> counts = new HashMap<>();
    if (Files.exists(ledger)) {
      for (String line : Files.readAllLines(ledger, StandardCharsets.UTF_8)) {
        if (!line.isEmpty()) {
          counts.merge(line, 1, Integer::sum);
        }
      }
    }
    return counts;
  }

  @Override
  public void close() {
    stopping = true;
    modules.forEach(ClientModule::close);
  }

  /** The calls, the ledger, and when the server was down. */
  record Result(List<Call> calls, Map<String, Integer> ledger, long downAt, long upAt) {
    List<Call> failures() {
      return calls.stream().filter(c -> !c.ok()).toList();
    }

    long failedStartedAfter(long nanos) {
      return failures().stream().filter(c -> c.start() >= nanos).count();
    }

    long startedWhileDown() {
      return calls.stream().filter(c -> c.start() >= downAt && c.start() < upAt).count();
    }

    /** No transfer ran twice; every success ran once; every "not run" is true. */
    void assertExactlyOnce() {
      List<String> twice = ledger.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
      assertEquals(List.of(), twice, "transfers that ran twice");
      for (Call c : calls) {
        if (c.ok()) {
          assertEquals(1, ledger.getOrDefault(c.id(), 0), "a success must have run exactly once: " + c);
        } else if (c.outcome() == CallOutcome.NOT_RUN) {
          assertEquals(0, ledger.getOrDefault(c.id(), 0), "the exception claimed 'not run' but it ran: " + c);
        }
      }
      assertTrue(calls.stream().anyMatch(Call::ok));
    }

    String summary() {
      long ok = calls.stream().filter(Call::ok).count();
      long unknown = failures().stream().filter(c -> c.outcome() == CallOutcome.UNKNOWN).count();
      long notRun = failures().stream().filter(c -> c.outcome() == CallOutcome.NOT_RUN).count();
      long unknownThatRan = failures().stream()
          .filter(c -> c.outcome() == CallOutcome.UNKNOWN && ledger.getOrDefault(c.id(), 0) > 0).count();
      long twice = ledger.values().stream().filter(v -> v > 1).count();
      return "calls=" + calls.size() + " ok=" + ok + " failed(unknown)=" + unknown + " (of which ran: " + unknownThatRan
          + ") failed(not run)=" + notRun + " startedWhileDown=" + startedWhileDown()
          + " failedStartedWhileDown=" + failures().stream().filter(c -> c.start() >= downAt && c.start() < upAt).count()
          + " downFor=" + TimeUnit.NANOSECONDS.toMillis(upAt - downAt) + "ms ranTwice=" + twice;
    }
  }
}
