package dev.parley.it.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.parley.client.ClientModule;
import dev.parley.client.EncryptionNotSupportedException;
import dev.parley.client.EncryptionRequiredException;
import dev.parley.client.WrongSecureKeyException;
import dev.parley.crypto.SecureKey;
import dev.parley.it.secure.AttackProxy.Exchange;
import dev.parley.it.secure.AttackProxy.Kind;
import dev.parley.server.ServerModule;
import dev.parley.testing.ParleyServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every combination of client and server settings — encryptionKey 0 / 32, forceEncryption off /
 * on, SecureKey the same / different / empty — with its documented outcome (the contract's
 * behaviour summary, docs/PROTOCOL.md §9), and a wire check that no {@code application/json} call
 * goes out where the client forces encryption (and where the server forces it, at most the one
 * plain call a non-encrypting client makes, answered 412).
 *
 * <p>Combinations a builder refuses are not run: {@link #theBuildersRefuseWhatCannotWork} asserts
 * the refusal, and {@link #theTableCoversEveryCombinationTheBuildersAccept} checks that the table
 * covers exactly the others.
 */
class MatrixTest {
  /** A side's SecureKey: the servers' key A, another key B, or none (empty). */
  enum Key { A, B, NONE }

  enum Outcome { PLAIN, ENCRYPTED, ENCRYPTION_REQUIRED, ENCRYPTION_NOT_SUPPORTED, WRONG_SECURE_KEY }

  /** One side's settings. */
  record Side(int encryptionKey, boolean force, Key key) {
    /** Whether a builder accepts these settings (allowUnauthenticated is set where needed). */
    boolean buildable() {
      return encryptionKey > 0 || (!force && key == Key.NONE);
    }

    /** A non-empty SecureKey implies forceEncryption. */
    boolean forcing() {
      return force || key != Key.NONE;
    }

    String path() {
      return "/s" + encryptionKey + (force ? "f" : "") + key.name().toLowerCase(Locale.ROOT);
    }

    SecureKey secureKey() {
      return key == Key.A ? Keys.a() : key == Key.B ? Keys.b() : null;
    }

    ServerModule.Builder apply(ServerModule.Builder b) {
      b.encryptionKey(encryptionKey);
      if (force) {
        b.forceEncryption(true); // off = not set: an explicit false next to a SecureKey is refused
      }
      if (key != Key.NONE) {
        b.secureKey(secureKey());
      } else if (encryptionKey > 0) {
        b.allowUnauthenticated(true);
      }
      return b;
    }

    ClientModule.Builder apply(ClientModule.Builder b) {
      b.encryptionKey(encryptionKey);
      if (force) {
        b.forceEncryption(true);
      }
      if (key != Key.NONE) {
        b.secureKey(secureKey());
      } else if (encryptionKey > 0) {
        b.allowUnauthenticated(true);
      }
      return b;
    }

    @Override
    public String toString() {
      return "enc " + encryptionKey + (force ? ", force" : "") + ", key " + key;
    }
  }

  private static final List<Side> SERVER_SIDES = sides(List.of(Key.A, Key.NONE));
  private static final List<Side> CLIENT_SIDES = sides(List.of(Key.A, Key.B, Key.NONE));

  private static final Calculators calculators = new Calculators();

  @RegisterExtension
  static final ParleyServer server = matrixServer();

  /** One module for each server side a builder accepts. */
  private static ParleyServer matrixServer() {
    ParleyServer.Builder builder = ParleyServer.builder();
    for (Side side : SERVER_SIDES) {
      if (side.buildable()) {
        builder.module(side.apply(calculators.module(side.path())));
      }
    }
    return builder.build();
  }

  // client: encryptionKey, forceEncryption, SecureKey | server: the same | documented outcome
  static final String TABLE = """
      0,  false, NONE,   0,  false, NONE,   PLAIN
      0,  false, NONE,   32, false, NONE,   PLAIN
      0,  false, NONE,   32, false, A,      ENCRYPTION_REQUIRED
      0,  false, NONE,   32, true,  NONE,   ENCRYPTION_REQUIRED
      0,  false, NONE,   32, true,  A,      ENCRYPTION_REQUIRED
      32, false, NONE,   0,  false, NONE,   PLAIN
      32, false, NONE,   32, false, NONE,   ENCRYPTED
      32, false, NONE,   32, false, A,      WRONG_SECURE_KEY
      32, false, NONE,   32, true,  NONE,   ENCRYPTED
      32, false, NONE,   32, true,  A,      WRONG_SECURE_KEY
      32, false, A,      0,  false, NONE,   ENCRYPTION_NOT_SUPPORTED
      32, false, A,      32, false, NONE,   WRONG_SECURE_KEY
      32, false, A,      32, false, A,      ENCRYPTED
      32, false, A,      32, true,  NONE,   WRONG_SECURE_KEY
      32, false, A,      32, true,  A,      ENCRYPTED
      32, false, B,      0,  false, NONE,   ENCRYPTION_NOT_SUPPORTED
      32, false, B,      32, false, NONE,   WRONG_SECURE_KEY
      32, false, B,      32, false, A,      WRONG_SECURE_KEY
      32, false, B,      32, true,  NONE,   WRONG_SECURE_KEY
      32, false, B,      32, true,  A,      WRONG_SECURE_KEY
      32, true,  NONE,   0,  false, NONE,   ENCRYPTION_NOT_SUPPORTED
      32, true,  NONE,   32, false, NONE,   ENCRYPTED
      32, true,  NONE,   32, false, A,      WRONG_SECURE_KEY
      32, true,  NONE,   32, true,  NONE,   ENCRYPTED
      32, true,  NONE,   32, true,  A,      WRONG_SECURE_KEY
      32, true,  A,      0,  false, NONE,   ENCRYPTION_NOT_SUPPORTED
      32, true,  A,      32, false, NONE,   WRONG_SECURE_KEY
      32, true,  A,      32, false, A,      ENCRYPTED
      32, true,  A,      32, true,  NONE,   WRONG_SECURE_KEY
      32, true,  A,      32, true,  A,      ENCRYPTED
      32, true,  B,      0,  false, NONE,   ENCRYPTION_NOT_SUPPORTED
      32, true,  B,      32, false, NONE,   WRONG_SECURE_KEY
      32, true,  B,      32, false, A,      WRONG_SECURE_KEY
      32, true,  B,      32, true,  NONE,   WRONG_SECURE_KEY
      32, true,  B,      32, true,  A,      WRONG_SECURE_KEY
      """;

  @ParameterizedTest(name = "client [enc {0}, force {1}, key {2}] x server [enc {3}, force {4}, key {5}] -> {6}")
  @CsvSource(textBlock = TABLE)
  void eachCombinationHasItsDocumentedOutcome(int clientEnc, boolean clientForce, Key clientKey,
      int serverEnc, boolean serverForce, Key serverKey, Outcome expected) throws Exception {
    Side client = new Side(clientEnc, clientForce, clientKey);
    Side serverSide = new Side(serverEnc, serverForce, serverKey);
    CountingCalculator service = calculators.service(serverSide.path());
    int before = service.totalInvocations();
    RecordingListener listener = new RecordingListener();

    try (AttackProxy proxy = new AttackProxy(server.uri().toString());
        ClientModule module = client.apply(ClientModule.builder(proxy.url(serverSide.path())))
            .listener(listener).build()) {
      CalculatorClient calc = new CalculatorClient(module);
      switch (expected) {
        case PLAIN, ENCRYPTED -> {
          assertEquals(5, calc.add(2, 3));
          assertEquals(30, calc.add(10, 20));
          assertEquals(before + 2, service.totalInvocations());
          assertTrue(proxy.count(Kind.MSG1) <= 1, "at most one handshake: " + proxy.exchanges());
        }
        case ENCRYPTION_REQUIRED -> {
          assertThrows(EncryptionRequiredException.class, () -> calc.add(2, 3));
          assertEquals(List.of("encryptionRequired"), listener.events());
        }
        case ENCRYPTION_NOT_SUPPORTED -> {
          assertThrows(EncryptionNotSupportedException.class, () -> calc.add(2, 3));
          assertEquals(List.of("encryptionNotSupported"), listener.events());
        }
        case WRONG_SECURE_KEY -> {
          WrongSecureKeyException e = assertThrows(WrongSecureKeyException.class, () -> calc.add(2, 3));
          assertNoKeyIn(e.getMessage());
          assertEquals(List.of("wrongSecureKey"), listener.events());
        }
        default -> fail("unknown outcome " + expected);
      }
      if (expected != Outcome.PLAIN && expected != Outcome.ENCRYPTED) {
        assertEquals(before, service.totalInvocations(), "a failed call ran");
      }
      checkWire(proxy.exchanges(), client, serverSide, expected);
    }
  }

  private static void checkWire(List<Exchange> wire, Side client, Side serverSide, Outcome expected) {
    List<Exchange> plain = new ArrayList<>();
    List<Exchange> sealed = new ArrayList<>();
    for (Exchange x : wire) {
      if (x.kind() == Kind.PLAIN) {
        plain.add(x);
      } else if (x.kind() == Kind.SEALED) {
        sealed.add(x);
      }
    }
    if (client.forcing()) {
      assertEquals(List.of(), plain, "a forcing client sent application/json");
    } else if (serverSide.forcing()) {
      assertTrue(plain.size() <= 1, "more than one plain call to a forcing server: " + wire);
      for (Exchange x : plain) {
        assertEquals(412, x.status(), "a forcing server answered a plain call: " + x);
      }
    }
    if (expected == Outcome.ENCRYPTED) {
      assertEquals(List.of(), plain, "an encrypted pair sent plain calls: " + wire);
      assertEquals(2, sealed.size(), wire.toString());
      for (Exchange x : sealed) {
        assertEquals(200, x.status());
        assertEquals(AttackProxy.SEALED, x.answer().contentType());
      }
    } else if (expected == Outcome.PLAIN) {
      assertEquals(List.of(), sealed, "a plain pair sent sealed calls: " + wire);
      assertEquals(2, plain.size(), wire.toString());
      for (Exchange x : plain) {
        assertEquals(200, x.status());
      }
      if (client.encryptionKey() > 0) {
        assertEquals(1, wire.stream().filter(x -> x.kind() == Kind.MSG1).count(),
            "the fallback to plain is remembered: " + wire);
        assertEquals(415, wire.get(0).status());
        assertEquals("application/json", wire.get(0).answer().headers().entrySet().stream()
            .filter(h -> h.getKey().equalsIgnoreCase("Accept-Post")).map(Map.Entry::getValue)
            .findFirst().orElse(null), "a 415 names what the module accepts");
      }
    } else if (expected == Outcome.ENCRYPTION_REQUIRED) {
      assertEquals(1, plain.size(), wire.toString());
    } else {
      assertEquals(List.of(), sealed, "a sealed call was sent without a session: " + wire);
    }
  }

  private static void assertNoKeyIn(String message) {
    String lower = String.valueOf(message).toLowerCase(Locale.ROOT);
    assertTrue(!lower.contains(Keys.A) && !lower.contains(Keys.B), "a SecureKey leaked into: " + message);
  }

  // ---------------------------------------------------------------- refused and completeness

  static Stream<Arguments> refusedSides() {
    List<Arguments> refused = new ArrayList<>();
    for (Side side : SERVER_SIDES) {
      if (!side.buildable()) {
        refused.add(Arguments.of("server", side));
      }
    }
    for (Side side : CLIENT_SIDES) {
      if (!side.buildable()) {
        refused.add(Arguments.of("client", side));
      }
    }
    return refused.stream();
  }

  @ParameterizedTest(name = "{0} [{1}] is refused")
  @MethodSource("refusedSides")
  void theBuildersRefuseWhatCannotWork(String which, Side side) {
    IllegalArgumentException e;
    if (which.equals("server")) {
      e = assertThrows(IllegalArgumentException.class, () -> side.apply(ServerModule.builder("/calc")
          .functions(new CalculatorFunctions(new CountingCalculator()))).build());
    } else {
      e = assertThrows(IllegalArgumentException.class,
          () -> side.apply(ClientModule.builder("http://127.0.0.1:1/calc")).build());
    }
    assertTrue(e.getMessage().contains("encryptionKey"), "the message should say to set encryptionKey: " + e.getMessage());
    assertNoKeyIn(e.getMessage());
  }

  @Test
  void encryptionWithoutASecureKeyNeedsAllowUnauthenticatedOnTheServer() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerModule.builder("/calc")
        .functions(new CalculatorFunctions(new CountingCalculator())).encryptionKey(32).build());
    assertTrue(e.getMessage().contains("allowUnauthenticated"), e.getMessage());
    assertTrue(e.getMessage().contains("secureKey"), e.getMessage());
  }

  @Test
  void encryptionWithoutASecureKeyNeedsAllowUnauthenticatedOnTheClient() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClientModule.builder("http://127.0.0.1:1/calc").encryptionKey(32).build());
    assertTrue(e.getMessage().contains("allowUnauthenticated"), e.getMessage());
    assertTrue(e.getMessage().contains("secureKey"), e.getMessage());
  }

  @Test
  void anExplicitForceEncryptionFalseNextToASecureKeyIsRefusedOnTheServer() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerModule.builder("/calc")
        .functions(new CalculatorFunctions(new CountingCalculator()))
        .encryptionKey(32).secureKey(Keys.a()).forceEncryption(false).build());
    assertTrue(e.getMessage().contains("forceEncryption"), e.getMessage());
    assertNoKeyIn(e.getMessage());
  }

  @Test
  void anExplicitForceEncryptionFalseNextToASecureKeyIsRefusedOnTheClient() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClientModule.builder("http://127.0.0.1:1/calc")
            .encryptionKey(32).secureKey(Keys.a()).forceEncryption(false).build());
    assertTrue(e.getMessage().contains("forceEncryption"), e.getMessage());
    assertNoKeyIn(e.getMessage());
  }

  @Test
  void theTableCoversEveryCombinationTheBuildersAccept() {
    Set<String> rows = new HashSet<>();
    for (String line : TABLE.strip().split("\n")) {
      String[] f = line.split(",");
      rows.add(String.join(",", f[0].strip(), f[1].strip(), f[2].strip(), f[3].strip(), f[4].strip(), f[5].strip()));
    }
    Set<String> buildable = new HashSet<>();
    int all = 0;
    for (Side c : CLIENT_SIDES) {
      for (Side s : SERVER_SIDES) {
        all++;
        if (c.buildable() && s.buildable()) {
          buildable.add(c.encryptionKey() + "," + c.force() + "," + c.key() + "," + s.encryptionKey() + ","
              + s.force() + "," + s.key());
        }
      }
    }
    assertEquals(12 * 8, all);
    assertEquals(buildable, rows);
  }

  private static List<Side> sides(List<Key> keys) {
    List<Side> sides = new ArrayList<>();
    for (int enc : new int[] {0, 32}) {
      for (boolean force : new boolean[] {false, true}) {
        for (Key key : keys) {
          sides.add(new Side(enc, force, key));
        }
      }
    }
    return List.copyOf(sides);
  }
}
