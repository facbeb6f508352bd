package dev.parley.crypto;

import static dev.parley.crypto.HandshakeFixtures.ROUTE;
import static dev.parley.crypto.HandshakeFixtures.assertSameKeys;
import static dev.parley.crypto.HandshakeFixtures.handshake;
import static dev.parley.crypto.HandshakeFixtures.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.crypto.CryptoException.Reason;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link HandshakeResponder#replaceKeys}: a key rotation without a restart (PROTOCOL.md §3.3). New
 * handshakes use the new set; a key that was removed or replaced opens no session from then on,
 * not even one whose msg1 was answered before; sessions made before are not the responder's to end.
 */
class KeyReplacementTest {
  private final SecureKey first = key(1).withKeyId(1);
  private final SecureKey second = key(2).withKeyId(2);
  private final HandshakeResponder server = HandshakeResponder.builder(ROUTE).secureKey(first).build();

  @Test
  void aKeyAddedByAReloadOpensSessions() throws CryptoException {
    server.replaceKeys(List.of(first, second));
    assertEquals(List.of(1, 2), server.keyIds());
    SessionKeys[] keys = handshake(ClientHandshake.start(second, ROUTE), server);
    assertSameKeys(keys[0], keys[1]);
  }

  @Test
  void aRemovedKeyIsRefusedAtMessage1() throws CryptoException {
    server.replaceKeys(List.of(second));
    CryptoException e = assertThrows(CryptoException.class,
        () -> server.answerMessage1(ClientHandshake.start(first, ROUTE).message1()));
    assertEquals(Reason.UNKNOWN_KEY_ID, e.reason());
  }

  @Test
  void aHandshakeBegunUnderARemovedKeyCannotFinish() throws CryptoException {
    ClientHandshake client = ClientHandshake.start(first, ROUTE);
    byte[] msg2 = server.answerMessage1(client.message1());
    server.replaceKeys(List.of(second));
    CryptoException e = assertThrows(CryptoException.class, () -> server.acceptMessage3(client.message3(msg2)));
    assertEquals(Reason.UNKNOWN_KEY_ID, e.reason());
  }

  @Test
  void aHandshakeBegunUnderAKeyThatWasReplacedUnderItsIdCannotFinish() throws CryptoException {
    ClientHandshake client = ClientHandshake.start(first, ROUTE);
    byte[] msg2 = server.answerMessage1(client.message1());
    SecureKey replacement = key(3).withKeyId(1);
    server.replaceKeys(List.of(replacement));
    CryptoException e = assertThrows(CryptoException.class, () -> server.acceptMessage3(client.message3(msg2)));
    assertEquals(Reason.EXPIRED, e.reason(), "its token was dropped: the client starts over, and fails at msg1");
    assertEquals(Reason.AUTHENTICATION, assertThrows(CryptoException.class,
        () -> server.answerMessage1(ClientHandshake.start(first, ROUTE).message1())).reason());
    SessionKeys[] keys = handshake(ClientHandshake.start(replacement, ROUTE), server);
    assertSameKeys(keys[0], keys[1]);
  }

  @Test
  void keepingTheSameKeysLetsHandshakesInFlightFinish() throws CryptoException {
    ClientHandshake client = ClientHandshake.start(first, ROUTE);
    byte[] msg2 = server.answerMessage1(client.message1());
    server.replaceKeys(List.of(key(1).withKeyId(1), second));   // the same key, read again from its file
    HandshakeResponder.Accepted accepted = server.acceptMessage3(client.message3(msg2));
    assertSameKeys(client.finish(accepted.message4()), accepted.sessionKeys());
  }

  @Test
  void badKeySetsAreRefusedAndTheKeysInUseStay() throws CryptoException {
    assertThrows(IllegalArgumentException.class, () -> server.replaceKeys(List.of()));
    assertThrows(IllegalArgumentException.class, () -> server.replaceKeys(List.of(second, key(4).withKeyId(2))));
    assertThrows(IllegalArgumentException.class, () -> server.replaceKeys(List.of(first, SecureKey.none())));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> server.replaceKeys(List.of(SecureKey.none())));
    assertEquals("the new keys would turn off authentication (SecureKey.none()); that needs a new module, not a key"
        + " reload", e.getMessage());
    assertEquals(List.of(1), server.keyIds());
    SessionKeys[] keys = handshake(ClientHandshake.start(first, ROUTE), server);
    assertSameKeys(keys[0], keys[1]);
  }

  @Test
  void anUnauthenticatedResponderGetsNoKeysByAReload() {
    HandshakeResponder open = HandshakeResponder.builder(ROUTE).secureKey(SecureKey.none()).build();
    assertThrows(IllegalArgumentException.class, () -> open.replaceKeys(List.of(first)));
  }

  @Test
  void toStringShowsTheKeyIdsInUseAndNoKey() {
    server.replaceKeys(List.of(second));
    assertEquals("HandshakeResponder[keyIds=[2]]", server.toString());
    assertFalse(server.toString().contains("0202"));
  }
}
