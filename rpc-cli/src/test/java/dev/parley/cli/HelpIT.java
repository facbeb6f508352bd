package dev.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Help, version and the completion script. */
class HelpIT {
  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"keygen", "describe", "call", "completion"})
  void everyCommandPrintsItsHelpAndExitsWith0(String command) {
    ParleyJar.Run run = ParleyJar.run(dir, command, "--help");
    assertEquals(0, run.status(), run::toString);
    assertTrue(run.out().startsWith("Usage: parley " + command), run::toString);
    assertTrue(run.out().contains("-h, --help"), run::toString);
  }

  @Test
  void parleyHelpListsEveryCommand() {
    ParleyJar.Run run = ParleyJar.run(dir, "--help");
    assertEquals(0, run.status(), run::toString);
    for (String command : new String[] {"keygen", "describe", "call", "completion"}) {
      assertTrue(run.out().contains("\n  " + command + " "), run::toString);
    }
  }

  @Test
  void parleyWithoutACommandIsAUsageErrorWithExit2() {
    ParleyJar.Run run = ParleyJar.run(dir);
    run.assertFailed(2, "parley: missing command");
  }

  @Test
  void versionNamesParleyAndItsVersion() {
    ParleyJar.Run run = ParleyJar.run(dir, "--version");
    assertEquals(0, run.status(), run::toString);
    assertTrue(run.out().matches("parley \\S+, Java .*\n"), run::toString);
  }

  @Test
  void theBuildWritesTheCompletionScriptThatParleyCompletionPrints() throws Exception {
    Path script = Path.of(System.getProperty("parley.completion"));
    String built = Files.readString(script);
    ParleyJar.Run run = ParleyJar.run(dir, "completion");
    assertEquals(0, run.status(), run::toString);
    assertEquals(run.out(), built);
    assertTrue(built.contains("complete -F _complete_parley"), "not a completion function for parley");
    for (String word : new String[] {"keygen", "describe", "call", "--secure-key-file", "--batch", "--out"}) {
      assertTrue(built.contains(word), "the completion script does not offer " + word);
    }
  }
}
