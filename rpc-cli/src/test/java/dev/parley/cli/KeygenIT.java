package dev.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parley keygen}: new SecureKeys on standard output or in new owner-only files. */
class KeygenIT {
  private static final String HEX_KEY = "[0-9a-f]{64}\n";

  @TempDir
  Path dir;

  @Test
  void keygenPrintsThirtyTwoRandomBytesAsHex() {
    ParleyJar.Run first = ParleyJar.run(dir, "keygen");
    ParleyJar.Run second = ParleyJar.run(dir, "keygen");
    assertEquals(0, first.status(), first::toString);
    assertTrue(first.out().matches(HEX_KEY), first::toString);
    assertTrue(second.out().matches(HEX_KEY), second::toString);
    assertNotEquals(first.out(), second.out());
  }

  @Test
  void keygenWritesTheKeyToANewFileOnlyItsOwnerCanReadAndWrite() throws Exception {
    ParleyJar.Run run = ParleyJar.run(dir, "keygen", "--out", "calc.key");
    assertEquals(0, run.status(), run::toString);
    Path key = dir.resolve("calc.key");
    assertTrue(Files.readString(key).matches(HEX_KEY));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    assertEquals("", run.out(), "the key must not be printed when it goes to a file");
    assertTrue(run.err().contains("wrote a new SecureKey"), run::toString);
  }

  @Test
  void keygenRefusesToOverwriteAnExistingFileWithExit2() throws Exception {
    Path key = dir.resolve("calc.key");
    Files.writeString(key, "the key in use\n");
    ParleyJar.Run run = ParleyJar.run(dir, "keygen", "--out", "calc.key");
    assertEquals(2, run.status(), run::toString);
    assertTrue(run.err().startsWith("parley: calc.key already exists; parley keygen never overwrites a file"),
        run::toString);
    assertEquals("the key in use\n", Files.readString(key));
  }

  @Test
  void keygenIntoAFolderThatDoesNotExistFailsWithExit2() {
    ParleyJar.Run run = ParleyJar.run(dir, "keygen", "--out", "no/such/folder/calc.key");
    assertEquals(2, run.status(), run::toString);
    assertTrue(run.err().startsWith("parley: cannot create no/such/folder/calc.key: its folder does not exist"),
        run::toString);
  }
}
