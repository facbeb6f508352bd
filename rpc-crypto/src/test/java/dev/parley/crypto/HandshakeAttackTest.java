package dev.parley.crypto;

import static dev.parley.crypto.HandshakeFixtures.HEX;
import static dev.parley.crypto.HandshakeFixtures.ROUTE;
import static dev.parley.crypto.HandshakeFixtures.assertAcceptedWithTheSameKeys;
import static dev.parley.crypto.HandshakeFixtures.assertHonestHandshakeWorks;
import static dev.parley.crypto.HandshakeFixtures.assertSameKeys;
import static dev.parley.crypto.HandshakeFixtures.key;
import static dev.parley.crypto.HandshakeFixtures.message3;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import dev.parley.crypto.CryptoException.Reason;
import dev.parley.crypto.internal.SymmetricState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Attacks on the handshake (PROTOCOL.md §6.6, §9, §14). Each test asserts the rejection and that an
 * honest handshake with the same server still works afterwards.
 */
class HandshakeAttackTest {
  /** Start of a token-key generation (divisible by 300 000 ms). */
  private static final Instant T0 = Instant.ofEpochMilli(1767225600000L);
  /** X25519 points whose shared secret is all zeros (low order, zero, and non-canonical forms). */
  private static final List<String> LOW_ORDER_POINTS = List.of(
      "0000000000000000000000000000000000000000000000000000000000000000",
      "0100000000000000000000000000000000000000000000000000000000000000",
      "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
      "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
      "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
      "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
      "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");

  private final SecureKey key = key(7);
  private final MutableClock clock = new MutableClock(T0);
  private final HandshakeResponder server =
      HandshakeResponder.builder(ROUTE).secureKey(key).clock(clock).build();
  /** A server whose tokens live an hour, so that only its token key rotation can retire one. */
  private final HandshakeResponder longTtl = HandshakeResponder.builder(ROUTE).secureKey(key).clock(clock)
      .tokenTtl(Duration.ofHours(1)).build();

  // ---- bit flips, truncation, appended bytes: every message, every offset ----

  @ParameterizedTest(name = "msg{0}")
  @ValueSource(ints = {1, 2, 3, 4})
  void flippingBit0x01OrBit0x80AtAnyOffsetIsRejected(int message) throws CryptoException {
    int length = honestLength(message);
    for (int offset = 0; offset < length; offset++) {
      for (int mask : new int[] {0x01, 0x80}) {
        int at = offset;
        attack(message, m -> flip(m, at, mask));
      }
    }
    assertHonestHandshakeWorks(key, server);
  }

  @ParameterizedTest(name = "msg{0}")
  @ValueSource(ints = {1, 2, 3, 4})
  void everyTruncationIsRejected(int message) throws CryptoException {
    int length = honestLength(message);
    for (int keep = 0; keep < length; keep++) {
      int n = keep;
      attack(message, m -> Arrays.copyOf(m, n));
    }
    assertHonestHandshakeWorks(key, server);
  }

  @ParameterizedTest(name = "msg{0}")
  @ValueSource(ints = {1, 2, 3, 4})
  void appendedBytesAreRejected(int message) throws CryptoException {
    for (int extra : new int[] {1, 16, 64}) {
      attack(message, m -> Arrays.copyOf(m, m.length + extra));
    }
    assertHonestHandshakeWorks(key, server);
  }

  @Test
  void tamperedMessage1IsRejectedBeforeAnyDiffieHellman() throws CryptoException {
    byte[] msg1 = ClientHandshake.start(key, ROUTE).message1();
    long before = server.dhOperations();
    for (int offset = 0; offset < msg1.length; offset++) {
      byte[] flipped = flip(msg1, offset, 0x01);
      assertThrows(CryptoException.class, () -> server.answerMessage1(flipped));
    }
    for (int keep = 0; keep < msg1.length; keep++) {
      byte[] truncated = Arrays.copyOf(msg1, keep);
      assertThrows(CryptoException.class, () -> server.answerMessage1(truncated));
    }
    assertEquals(before, server.dhOperations());
    assertHonestHandshakeWorks(key, server);
  }

  // ---- wrong key, key ids, downgrade ----

  static Stream<Arguments> keysTheServerDoesNotHold() {
    return Stream.of(
        Arguments.of("a wrong SecureKey fails at message 1", key(8), Reason.AUTHENTICATION),
        Arguments.of("an unknown key id is rejected", key(7).withKeyId(5), Reason.UNKNOWN_KEY_ID));
  }

  @ParameterizedTest(name = "{0} with no Diffie-Hellman")
  @MethodSource("keysTheServerDoesNotHold")
  void message1UnderAKeyTheServerDoesNotHoldIsRejectedWithNoDiffieHellman(String sentence, SecureKey clientKey,
      Reason reason) throws CryptoException {
    long before = server.dhOperations();
    CryptoException e = assertThrows(CryptoException.class,
        () -> server.answerMessage1(ClientHandshake.start(clientKey, ROUTE).message1()));
    assertEquals(reason, e.reason());
    assertEquals(before, server.dhOperations());
    assertHonestHandshakeWorks(key, server);
  }

  @Test
  void changedKeyIdBreaksTheTagEvenWhenTheOtherIdIsConfigured() throws CryptoException {
    HandshakeResponder rotating = HandshakeResponder.builder(ROUTE).secureKey(key).secureKey(key(9).withKeyId(1)).build();
    byte[] msg1 = ClientHandshake.start(key, ROUTE).message1();
    assertRejected(Reason.AUTHENTICATION, rotating, withByte(msg1, 3, 1));
    assertHonestHandshakeWorks(key, rotating);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      a changed version is rejected                | 0 | 2  | MALFORMED
      a changed suite is rejected as a downgrade   | 2 | 2  | DOWNGRADE
      changed flags are rejected                   | 4 | 1  | MALFORMED
      a changed contribution length breaks the tag | 5 | 16 | AUTHENTICATION
      """)
  void aChangedHeaderByteOfMessage1IsRejected(String sentence, int offset, int value, Reason reason)
      throws CryptoException {
    byte[] msg1 = ClientHandshake.start(key, ROUTE).message1();
    assertRejected(reason, server, withByte(msg1, offset, value));
    assertHonestHandshakeWorks(key, server);
  }

  static Stream<Arguments> clientsOfAnotherModuleOrMode() {
    return Stream.of(
        Arguments.of("another module's route breaks the tag", key(7), "/other", Reason.AUTHENTICATION),
        Arguments.of("an unauthenticated client is refused by a keyed server", SecureKey.none(), ROUTE,
            Reason.DOWNGRADE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clientsOfAnotherModuleOrMode")
  void message1OfAClientForAnotherModuleOrModeIsRejected(String sentence, SecureKey clientKey, String route,
      Reason reason) throws CryptoException {
    assertRejected(reason, server, ClientHandshake.start(clientKey, route).message1());
    assertHonestHandshakeWorks(key, server);
  }

  @Test
  void keyedClientIsRefusedByAnUnauthenticatedServer() throws CryptoException {
    HandshakeResponder open = HandshakeResponder.builder(ROUTE).secureKey(SecureKey.none()).build();
    assertRejected(Reason.DOWNGRADE, open, ClientHandshake.start(key, ROUTE).message1());
    assertHonestHandshakeWorks(SecureKey.none(), open);
  }

  @Test
  void anAnswerToMessage1ThatIsNotAValidMessage2IsAnErrorNeverAFallback() throws CryptoException {
    byte[] plainJsonRpc = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":3}".getBytes(StandardCharsets.UTF_8);
    for (byte[] answer : List.of(plainJsonRpc, new byte[0], "encryption required".getBytes(StandardCharsets.UTF_8))) {
      ClientHandshake client = ClientHandshake.start(key, ROUTE);
      client.message1();
      CryptoException e = assertThrows(CryptoException.class, () -> client.message3(answer));
      assertEquals(Reason.MALFORMED, e.reason());
      assertThrows(IllegalStateException.class, () -> client.message3(answer));  // the handshake is over
    }
    assertHonestHandshakeWorks(key, server);
  }

  @Test
  void everyRejectionCarriesTheSameGenericMessage() throws CryptoException {
    byte[] msg1 = ClientHandshake.start(key, ROUTE).message1();
    List<byte[]> bad = List.of(new byte[0], withByte(msg1, 2, 2), withByte(msg1, 3, 9), flip(msg1, 40, 1),
        ClientHandshake.start(key(8), ROUTE).message1());
    for (byte[] m : bad) {
      CryptoException e = assertThrows(CryptoException.class, () -> server.answerMessage1(m));
      assertEquals("handshake message rejected", e.getMessage());
    }
    assertHonestHandshakeWorks(key, server);
  }

  // ---- low-order points ----

  @Test
  void lowOrderPointsInMessage1AreRejected() throws CryptoException {
    for (String point : LOW_ORDER_POINTS) {
      byte[] msg1 = msg1WithValidTag(HEX.parseHex(point));
      assertRejected(Reason.AUTHENTICATION, server, msg1);
    }
    assertHonestHandshakeWorks(key, server);
  }

  @Test
  void lowOrderPointsInMessage2AreRejected() throws CryptoException {
    for (String point : LOW_ORDER_POINTS) {
      ClientHandshake client = ClientHandshake.start(key, ROUTE);
      byte[] msg2 = server.answerMessage1(client.message1());
      System.arraycopy(HEX.parseHex(point), 0, msg2, 2, 32);
      CryptoException e = assertThrows(CryptoException.class, () -> client.message3(msg2));
      assertEquals(Reason.AUTHENTICATION, e.reason());
    }
    assertHonestHandshakeWorks(key, server);
  }

  // ---- replays ----

  @Test
  void replayedMessage1GetsAFreshAnswerAndTheServerKeepsNothing() throws CryptoException {
    ClientHandshake client = ClientHandshake.start(key, ROUTE);
    byte[] msg1 = client.message1();
    byte[] first = server.answerMessage1(msg1);
    byte[] replayed = server.answerMessage1(msg1);
    assertFalse(Arrays.equals(Arrays.copyOfRange(first, 2, 34), Arrays.copyOfRange(replayed, 2, 34)));
    // Nothing about the first answer was kept: the client completes with the second one.
    assertAcceptedWithTheSameKeys(client, server, client.message3(replayed));
  }

  @Test
  void replayedMessage3YieldsTheSameSessionIdSoNoSecondSessionIsCreated() throws CryptoException {
    Map<String, SessionKeys> sessions = new ConcurrentHashMap<>();
    ClientHandshake client = ClientHandshake.start(key, ROUTE);
    byte[] msg3 = message3(client, server);
    HandshakeResponder.Accepted original = server.acceptMessage3(msg3);
    HandshakeResponder.Accepted replayed = server.acceptMessage3(msg3);
    assertArrayEquals(original.sessionKeys().sessionId(), replayed.sessionKeys().sessionId());
    assertEquals(null, sessions.putIfAbsent(original.sessionKeys().sessionIdText(), original.sessionKeys()));
    assertNotNull(sessions.putIfAbsent(replayed.sessionKeys().sessionIdText(), replayed.sessionKeys()));
    assertEquals(1, sessions.size());
    assertSameKeys(client.finish(original.message4()), sessions.get(original.sessionKeys().sessionIdText()));
    assertHonestHandshakeWorks(key, server);
  }

  @Test
  void replayedMessage3IsAnsweredUnderAFreshNonce() throws CryptoException {
    ClientHandshake client = ClientHandshake.start(key, ROUTE);
    byte[] msg3 = message3(client, server);
    byte[] a = server.acceptMessage3(msg3).message4();
    byte[] b = server.acceptMessage3(msg3).message4();
    assertFalse(Arrays.equals(Arrays.copyOfRange(a, 2, 14), Arrays.copyOfRange(b, 2, 14)));
  }

  // ---- the token ----

  @Test
  void tokenIsAcceptedJustBeforeItsTtlEnds() throws CryptoException {
    ClientHandshake client = ClientHandshake.start(key, ROUTE);
    byte[] msg3 = message3(client, server);
    clock.advance(Duration.ofMillis(TokenSealer.TTL_MILLIS - 1));
    assertAcceptedWithTheSameKeys(client, server, msg3);
  }

  @Test
  void expiredTokenIsRejected() throws CryptoException {
    ClientHandshake client = ClientHandshake.start(key, ROUTE);
    byte[] msg3 = message3(client, server);
    clock.advance(Duration.ofMillis(TokenSealer.TTL_MILLIS));
    CryptoException e = assertThrows(CryptoException.class, () -> server.acceptMessage3(msg3));
    assertEquals(Reason.EXPIRED, e.reason());
    assertHonestHandshakeWorks(key, server);
  }

  /** Five minutes and an honest handshake later: {@link #longTtl} has rotated to its next token key. */
  private void rotateTheTokenKey() throws CryptoException {
    clock.advance(Duration.ofMinutes(5));
    assertHonestHandshakeWorks(key, longTtl);
  }

  @Test
  void tokenOfThePreviousKeyGenerationIsStillAccepted() throws CryptoException {
    ClientHandshake client = ClientHandshake.start(key, ROUTE);
    byte[] msg3 = message3(client, longTtl);
    rotateTheTokenKey();
    assertAcceptedWithTheSameKeys(client, longTtl, msg3);
  }

  @Test
  void tokenOfARotatedOutKeyIsRejected() throws CryptoException {
    ClientHandshake client = ClientHandshake.start(key, ROUTE);
    byte[] msg3 = message3(client, longTtl);
    rotateTheTokenKey();
    rotateTheTokenKey();  // the first key is dropped now
    CryptoException e = assertThrows(CryptoException.class, () -> longTtl.acceptMessage3(msg3));
    assertEquals(Reason.EXPIRED, e.reason());
  }

  @Test
  void tokenFromAnotherClientsMessage2IsRejected() throws CryptoException {
    ClientHandshake alice = ClientHandshake.start(key, ROUTE);
    ClientHandshake mallory = ClientHandshake.start(key, ROUTE);
    byte[] aliceMsg3 = message3(alice, server);
    byte[] malloryMsg3 = message3(mallory, server);
    byte[] swapped = malloryMsg3.clone();
    System.arraycopy(aliceMsg3, 4, swapped, 4, TokenSealer.LENGTH);
    CryptoException e = assertThrows(CryptoException.class, () -> server.acceptMessage3(swapped));
    assertEquals(Reason.AUTHENTICATION, e.reason());
    assertAcceptedWithTheSameKeys(mallory, server, malloryMsg3);
  }

  @Test
  void tokenFromAnotherServerProcessIsRejected() throws CryptoException {
    HandshakeResponder otherProcess = HandshakeResponder.builder(ROUTE).secureKey(key).clock(clock).build();
    assertHonestHandshakeWorks(key, server);  // this server now holds its own key of the generation
    ClientHandshake client = ClientHandshake.start(key, ROUTE);
    byte[] msg3 = message3(client, otherProcess);
    CryptoException e = assertThrows(CryptoException.class, () -> server.acceptMessage3(msg3));
    assertEquals(Reason.AUTHENTICATION, e.reason());
    assertHonestHandshakeWorks(key, server);
  }

  @Test
  void tokenReachingAServerThatHoldsNoKeyOfItsGenerationIsExpired() throws CryptoException {
    HandshakeResponder restarted = HandshakeResponder.builder(ROUTE).secureKey(key).clock(clock).build();
    ClientHandshake client = ClientHandshake.start(key, ROUTE);
    byte[] msg3 = message3(client, server);
    CryptoException e = assertThrows(CryptoException.class, () -> restarted.acceptMessage3(msg3));
    assertEquals(Reason.EXPIRED, e.reason());
    assertHonestHandshakeWorks(key, restarted);
  }

  // ---- helpers ----

  /** Runs a handshake with message {@code message} (1..4) mutated; asserts that some step rejects it. */
  private void attack(int message, UnaryOperator<byte[]> mutate) {
    ClientHandshake client = ClientHandshake.start(key, ROUTE);
    try {
      byte[] msg1 = client.message1();
      byte[] msg2 = server.answerMessage1(message == 1 ? mutate.apply(msg1) : msg1);
      byte[] msg3 = client.message3(message == 2 ? mutate.apply(msg2) : msg2);
      byte[] msg4 = server.acceptMessage3(message == 3 ? mutate.apply(msg3) : msg3).message4();
      client.finish(message == 4 ? mutate.apply(msg4) : msg4);
    } catch (CryptoException expected) {
      return;
    }
    fail("a mutated msg" + message + " was accepted");
  }

  private int honestLength(int message) throws CryptoException {
    ClientHandshake client = ClientHandshake.start(key, ROUTE);
    byte[] msg1 = client.message1();
    byte[] msg2 = server.answerMessage1(msg1);
    byte[] msg3 = client.message3(msg2);
    byte[] msg4 = server.acceptMessage3(msg3).message4();
    return List.of(msg1, msg2, msg3, msg4).get(message - 1).length;
  }

  /** msg1 (PROTOCOL.md §6.1) for an arbitrary e_C with a valid tag: what an insider could send. */
  private byte[] msg1WithValidTag(byte[] eC) {
    byte[] prologue = Handshake.prologue(Handshake.SUITE_PSK, 0, 0, 32, Handshake.routeBytes(ROUTE));
    SymmetricState s = Handshake.newState(Handshake.SUITE_PSK);
    byte[] tag = Handshake.msg1State(s, Handshake.SUITE_PSK, prologue, key.psk(), eC);
    return Handshake.concat(new byte[] {1, 1, 1, 0, 0, 32}, eC, tag);
  }

  private static void assertRejected(Reason reason, HandshakeResponder responder, byte[] msg1) {
    CryptoException e = assertThrows(CryptoException.class, () -> responder.answerMessage1(msg1));
    assertEquals(reason, e.reason());
  }

  private static byte[] flip(byte[] m, int offset, int mask) {
    byte[] copy = m.clone();
    copy[offset] ^= (byte) mask;
    return copy;
  }

  private static byte[] withByte(byte[] m, int offset, int value) {
    byte[] copy = m.clone();
    copy[offset] = (byte) value;
    return copy;
  }
}
