package dev.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parley call} against an encrypted module: keys, config files, failures and the wire log. */
class EncryptedCallIT extends ServerTests {
  @Test
  void aUserWithOnlyTheJarAndAKeyFileCallsAnEncryptedFunctionInOneLine(@TempDir Path home) throws Exception {
    Files.copy(ParleyJar.jar(), home.resolve("parley.jar"));
    Files.copy(keyFile, home.resolve("calc.key"));
    int before = server.secure.calls.get();

    ParleyJar.Run run = ParleyJar.runJar(home.resolve("parley.jar"), home, null,
        "call", server.secureUrl(), "add", "a=1", "b=2", "--secure-key-file", "calc.key");

    assertEquals(0, run.status(), run::toString);
    assertEquals("3\n", run.out());
    assertEquals("", run.err());
    assertEquals(before + 1, server.secure.calls.get());
  }

  @Test
  void aWrongKeyIsRefusedAsWrongSecureKeyExceptionWithExit2AndNothingRuns() {
    ParleyJar.Run keygen = parley("keygen", "--out", "other.key");
    assertEquals(0, keygen.status(), keygen::toString);
    int before = server.secure.calls.get();

    ParleyJar.Run run = parley("call", server.secureUrl(), "add", "a=1", "b=2", "--secure-key-file", "other.key");

    assertEquals(2, run.status(), run::toString);
    assertTrue(run.err().startsWith("WrongSecureKeyException (HTTP 403, not run): "), run::toString);
    assertEquals("", run.out());
    assertEquals(before, server.secure.calls.get());
  }

  @Test
  void aKeyIdTheModuleDoesNotKnowIsAWrongSecureKey() {
    ParleyJar.Run run = parley("call", server.secureUrl(), "add", "a=1", "b=2", "--secure-key-file", "calc.key",
        "--key-id", "7");
    assertEquals(2, run.status(), run::toString);
    assertTrue(run.err().startsWith("WrongSecureKeyException"), run::toString);
  }

  @Test
  void anEncryptedModuleCalledWithoutAKeyIsEncryptionRequiredWithExit2() {
    ParleyJar.Run run = parley("call", server.secureUrl(), "add", "a=1", "b=2");
    assertEquals(2, run.status(), run::toString);
    assertTrue(run.err().startsWith("EncryptionRequiredException (HTTP 412, outcome unknown): "), run::toString);
  }

  @Test
  void aMissingKeyFileIsReportedWithExit2() {
    ParleyJar.Run run = parley("call", server.secureUrl(), "add", "a=1", "b=2", "--secure-key-file", "missing.key");
    assertEquals(2, run.status(), run::toString);
    assertTrue(run.err().startsWith("parley: ") && run.err().contains("missing.key does not exist"), run::toString);
  }

  @Test
  void aRemoteErrorOfAnEncryptedCallExitsWith1() {
    ParleyJar.Run run = parley("call", server.secureUrl(), "divide", "a=1", "b=0", "--secure-key-file", "calc.key");
    assertEquals(1, run.status(), run::toString);
    assertTrue(run.err().startsWith("RemoteException 1001 (application error): division by zero"), run::toString);
  }

  @Test
  void aClientConfigFileGivesTheUrlAndTheKey() throws Exception {
    Files.writeString(dir.resolve("calc-client.yml"), "url: " + server.secureUrl() + "\nsecureKeyFile: calc.key\n");
    ParleyJar.Run run = parley("call", "--config", "calc-client.yml", "add", "a=2", "b=2");
    ParleyJar.Run withUrl = parley("call", server.secureUrl(), "add", "a=3", "b=3", "--config", "calc-client.yml");
    assertEquals(0, run.status(), run::toString);
    assertEquals("4\n", run.out());
    assertEquals(0, withUrl.status(), withUrl::toString);
    assertEquals("6\n", withUrl.out());
  }

  @Test
  void aUrlThatDiffersFromTheConfigFilesIsAUsageErrorWithExit2() throws Exception {
    Files.writeString(dir.resolve("other-client.yml"), "url: " + server.secureUrl() + "\nsecureKeyFile: calc.key\n");
    ParleyJar.Run run = parley("call", server.plainUrl(), "add", "a=3", "b=3", "--config", "other-client.yml");
    assertEquals(2, run.status(), run::toString);
    assertTrue(run.err().startsWith("parley: the URL " + server.plainUrl() + " is not the module"), run::toString);
  }

  @Test
  void verboseShowsSealedBodiesAsSizesAndNeverTheKeyOrTheParams() throws Exception {
    String key = Files.readString(keyFile).strip();
    ParleyJar.Run run = parley("call", server.secureUrl(), "add", "a=1234567", "b=7654321",
        "--secure-key-file", "calc.key", "-v");
    assertEquals(0, run.status(), run::toString);
    assertEquals("8888888\n", run.out());
    String err = run.err();
    assertTrue(err.contains("> Content-Type: application/vnd.parley.handshake\n"), err);
    assertTrue(err.contains("> [handshake message, "), err);
    assertTrue(err.contains("> Content-Type: application/vnd.parley.sealed\n"), err);
    assertTrue(err.contains("> Parley-Session: "), err);
    assertTrue(err.matches("(?s).*> \\[sealed frame, \\d+ bytes, encrypted, not shown\\].*"), err);
    assertTrue(err.matches("(?s).*< \\[sealed frame, \\d+ bytes, encrypted, not shown\\].*"), err);
    assertFalse(err.contains(key), "the SecureKey appears in the log");
    assertFalse(err.contains("1234567"), "a param of the sealed call appears in the log");
    assertFalse(err.contains("8888888"), "the sealed result appears in the log");
  }

  @Test
  void showPlaintextAddsWhatTheCliHandedToTheClientForSealingButNeverTheKey() throws Exception {
    String key = Files.readString(keyFile).strip();
    ParleyJar.Run run = parley("call", server.secureUrl(), "add", "a=1234567", "b=7654321",
        "--secure-key-file", "calc.key", "--show-plaintext");
    assertEquals(0, run.status(), run::toString);
    String err = run.err();
    assertTrue(err.contains("what the CLI handed to the client to seal: call add, params {\"a\":1234567,\"b\":7654321}"),
        err);
    assertFalse(err.contains(key), "the SecureKey appears in the log");
  }
}
