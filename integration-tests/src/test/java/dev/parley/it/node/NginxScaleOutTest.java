package dev.parley.it.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parley.CallOutcome;
import dev.parley.client.ClientModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three server processes behind a real nginx routing by {@code hash $http_parley_session consistent}
 * (docs/DEPLOYING.md); 8 callers, each with its own session, call the non-idempotent
 * {@code transfer}; then the node that holds the most sessions goes away, gracefully (SIGTERM, with
 * a drain time) or not (SIGKILL). Its sessions move to the other nodes by a new handshake, nothing
 * runs twice (the ledger file written by the function is the record), and every failure tells the
 * truth. Needs Debian's nginx (.ci/run installs it); skipped without it.
 */
class NginxScaleOutTest {
  private static final int CALLERS = 8;
  private static final long DRAIN_MILLIS = 1500;

  @TempDir
  Path dir;

  @Test
  void aNodeStoppedGracefullyBehindNginxCostsNoCallAndNothingRunsTwice() throws Exception {
    Outcome run = runExactlyOnce(true);
    assertEquals(List.of(), run.result.failures(), "a draining node answers what it does not run");
    assertMovedOn(run);
  }

  @Test
  void aNodeKilledBehindNginxRunsNothingTwiceAndFailsOnlyCallsItWasRunning() throws Exception {
    Outcome run = runExactlyOnce(false);
    for (Load.Call failed : run.result.failures()) {
      assertTrue(failed.start() < run.result.downAt(), "only calls in flight at the kill may fail: " + failed);
      assertEquals(CallOutcome.UNKNOWN, failed.outcome(), failed.toString());
      assertTrue(run.victimCallers.contains(failed.caller()), "a caller of another node failed: " + failed);
    }
    assertTrue(run.result.failures().size() <= run.victimSessions, run.result.failures().toString());
    assertMovedOn(run);
  }

  /** Every caller whose session was on the victim went on with calls answered by another node. */
  private static void assertMovedOn(Outcome run) {
    for (String caller : run.victimCallers) {
      assertTrue(run.result.calls().stream().anyMatch(c -> c.ok() && c.caller().equals(caller)
          && c.start() > run.result.downAt() && !c.detail().equals(run.victim)), caller + " did not move on");
    }
  }

  private record Outcome(Load.Result result, String victim, int victimSessions, Set<String> victimCallers) {}

  /** {@link #run}, its summary printed; every call that ran, ran exactly once. */
  private Outcome runExactlyOnce(boolean graceful) throws Exception {
    Outcome run = run(graceful);
    System.out.println("nginx, 3 nodes, " + (graceful ? "SIGTERM" : "SIGKILL") + " to " + run.victim + " ("
        + run.victimSessions + " of " + CALLERS + " sessions): " + run.result.summary());
    run.result.assertExactlyOnce();
    return run;
  }

  private Outcome run(boolean graceful) throws Exception {
    assumeTrue(Nginx.installed(), "nginx is not installed (.ci/run installs Debian's nginx-light)");
    Path ledger = dir.resolve("ledger.txt");
    Path key = Load.keyFile(dir);
    List<NodeProcess> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        nodes.add(NodeProcess.start(0, ledger, key, "node" + i, DRAIN_MILLIS));
      }
      Path nginxDir = Files.createDirectories(dir.resolve("nginx"));
      try (Nginx nginx = Nginx.start(nginxDir, nodes.stream().map(n -> n.port).toList());
          Load load = new Load(ledger, CALLERS, i -> ClientModule.builder(nginx.url("/ledger")).secureKeyFile(key).build())) {
        load.start();
        load.awaitSuccesses(CALLERS * 10);
        Map<String, Set<String>> callersByNode = callersByNode(load);
        String victim = callersByNode.entrySet().stream()
            .max(Comparator.comparingInt(e -> e.getValue().size())).orElseThrow().getKey();
        NodeProcess node = nodes.stream().filter(n -> n.name.equals(victim)).findFirst().orElseThrow();
        if (graceful) {
          node.stopGracefully();
        } else {
          node.kill();
        }
        long downAt = System.nanoTime();
        load.awaitSuccessesStartedAfter(downAt, CALLERS * 10);
        load.awaitEachCallerSucceededAfter(downAt);
        Load.Result result = load.stop(downAt, downAt);
        Set<String> victims = callersByNode.get(victim);
        return new Outcome(result, victim, victims.size(), victims);
      }
    } finally {
      for (NodeProcess n : nodes) {
        n.close();
      }
    }
  }

  /** Which callers' sessions each node holds, from the latest answer of each caller so far. */
  private static Map<String, Set<String>> callersByNode(Load load) throws Exception {
    Map<String, String> last = new HashMap<>();
    for (Load.Call c : load.snapshot()) {
      if (c.ok()) {
        last.put(c.caller(), c.detail());
      }
    }
    return last.entrySet().stream().collect(Collectors.groupingBy(Map.Entry::getValue,
        Collectors.mapping(Map.Entry::getKey, Collectors.toSet())));
  }
}
