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
    int before = secure.calls.get();

    ParleyJar.Run run = ParleyJar.runJar(home.resolve("parley.jar"), home, null,
        "call", secureUrl, "add", "a=1", "b=2", "--secure-key-file", "calc.key");

    run.assertPrinted("3\n");
    assertEquals("", run.err());
    assertEquals(before + 1, secure.calls.get());
  }

  @Test
  void aWrongKeyIsRefusedAsWrongSecureKeyExceptionWithExit2AndNothingRuns() {
    ParleyJar.Run keygen = parley("keygen", "--out", "other.key");
    assertEquals(0, keygen.status(), keygen::toString);
    int before = secure.calls.get();

    ParleyJar.Run run = parley("call", secureUrl, "add", "a=1", "b=2", "--secure-key-file", "other.key");

    run.assertFailed(2, "WrongSecureKeyException (HTTP 403, not run): ");
    assertEquals("", run.out());
    assertEquals(before, secure.calls.get());
  }

  @Test
  void aKeyIdTheModuleDoesNotKnowIsAWrongSecureKey() {
    ParleyJar.Run run = parley("call", secureUrl, "add", "a=1", "b=2", "--secure-key-file", "calc.key",
        "--key-id", "7");
    run.assertFailed(2, "WrongSecureKeyException");
  }

  @Test
  void anEncryptedModuleCalledWithoutAKeyIsEncryptionRequiredWithExit2() {
    ParleyJar.Run run = parley("call", secureUrl, "add", "a=1", "b=2");
    run.assertFailed(2, "EncryptionRequiredException (HTTP 412, outcome unknown): ");
  }

  @Test
  void aMissingKeyFileIsReportedWithExit2() {
    ParleyJar.Run run = parley("call", secureUrl, "add", "a=1", "b=2", "--secure-key-file", "missing.key");
    assertEquals(2, run.status(), run::toString);
    assertTrue(run.err().startsWith("parley: ") && run.err().contains("missing.key does not exist"), run::toString);
  }

  @Test
  void aRemoteErrorOfAnEncryptedCallExitsWith1() {
    ParleyJar.Run run = parley("call", secureUrl, "divide", "a=1", "b=0", "--secure-key-file", "calc.key");
    run.assertFailed(1, "RemoteException 1001 (application error): division by zero");
  }

  @Test
  void aClientConfigFileGivesTheUrlAndTheKey() throws Exception {
    Files.writeString(dir.resolve("calc-client.yml"), "url: " + secureUrl + "\nsecureKeyFile: calc.key\n");
    ParleyJar.Run run = parley("call", "--config", "calc-client.yml", "add", "a=2", "b=2");
    ParleyJar.Run withUrl = parley("call", secureUrl, "add", "a=3", "b=3", "--config", "calc-client.yml");
    run.assertPrinted("4\n");
    withUrl.assertPrinted("6\n");
  }

  @Test
  void aUrlThatDiffersFromTheConfigFilesIsAUsageErrorWithExit2() throws Exception {
    Files.writeString(dir.resolve("other-client.yml"), "url: " + secureUrl + "\nsecureKeyFile: calc.key\n");
    ParleyJar.Run run = parley("call", plainUrl, "add", "a=3", "b=3", "--config", "other-client.yml");
    run.assertFailed(2, "parley: the URL " + plainUrl + " is not the module");
  }

  @Test
  void verboseShowsSealedBodiesAsSizesAndNeverTheKeyOrTheParams() throws Exception {
    String key = Files.readString(keyFile).strip();
    ParleyJar.Run run = parley("call", secureUrl, "add", "a=1234567", "b=7654321",
        "--secure-key-file", "calc.key", "-v");
    run.assertPrinted("8888888\n");
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
    ParleyJar.Run run = parley("call", secureUrl, "add", "a=1234567", "b=7654321",
        "--secure-key-file", "calc.key", "--show-plaintext");
    assertEquals(0, run.status(), run::toString);
    String err = run.err();
    assertTrue(err.contains("what the CLI handed to the client to seal: call add, params {\"a\":1234567,\"b\":7654321}"),
        err);
    assertFalse(err.contains(key), "the SecureKey appears in the log");
  }
}
