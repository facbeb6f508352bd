package dev.parley.crypto;

import static dev.parley.crypto.HandshakeFixtures.ROUTE;
import static dev.parley.crypto.HandshakeFixtures.assertAcceptedWithTheSameKeys;
import static dev.parley.crypto.HandshakeFixtures.assertSameKeys;
import static dev.parley.crypto.HandshakeFixtures.handshake;
import static dev.parley.crypto.HandshakeFixtures.key;
import static dev.parley.crypto.HandshakeFixtures.message3;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class HandshakeTest {
  private final SecureKey key = key(7);
  private final HandshakeResponder server = HandshakeResponder.builder(ROUTE).secureKey(key).build();

  @Test
  void clientAndServerDeriveTheSameSessionKeys() throws CryptoException {
    SessionKeys[] keys = handshake(ClientHandshake.start(key, ROUTE), server);
    assertSameKeys(keys[0], keys[1]);
  }

  @Test
  void directionsUseDistinctKeysAndIvs() throws CryptoException {
    SessionKeys k = handshake(ClientHandshake.start(key, ROUTE), server)[0];
    assertFalse(Arrays.equals(k.c2sKey(), k.s2cKey()));
    assertFalse(Arrays.equals(k.c2sIv(), k.s2cIv()));
  }

  @Test
  void everyHandshakeGivesANewSessionIdAndKeys() throws CryptoException {
    SessionKeys a = handshake(ClientHandshake.start(key, ROUTE), server)[0];
    SessionKeys b = handshake(ClientHandshake.start(key, ROUTE), server)[0];
    assertFalse(Arrays.equals(a.sessionId(), b.sessionId()));
    assertFalse(Arrays.equals(a.c2sKey(), b.c2sKey()));
  }

  @Test
  void messagesHaveTheSpecifiedLengths() throws CryptoException {
    ClientHandshake client = ClientHandshake.start(key, ROUTE);
    byte[] msg1 = client.message1();
    byte[] msg2 = server.answerMessage1(msg1);
    byte[] msg3 = client.message3(msg2);
    byte[] msg4 = server.acceptMessage3(msg3).message4();
    assertEquals(54, msg1.length);
    assertEquals(159, msg2.length);
    assertEquals(175, msg3.length);   // PROTOCOL.md §6.4: 143 + A
    assertEquals(127, msg4.length);   // §6.5: 95 + Ls
  }

  @Test
  void serverContributionIsTheLongerOfBothEncryptionKeySettings() throws CryptoException {
    HandshakeResponder longServer = HandshakeResponder.builder(ROUTE).secureKey(key).encryptionKey(64).build();
    ClientHandshake client = ClientHandshake.start(key, ROUTE, 16, new SecureRandom());
    byte[] msg1 = client.message1();
    byte[] msg3 = client.message3(longServer.answerMessage1(msg1));
    assertEquals(143 + 16, msg3.length);
    HandshakeResponder.Accepted accepted = longServer.acceptMessage3(msg3);
    assertEquals(95 + 64, accepted.message4().length);
    assertSameKeys(client.finish(accepted.message4()), accepted.sessionKeys());
  }

  @Test
  void clientEncryptionKeyRaisesTheServerContribution() throws CryptoException {
    HandshakeResponder shortServer = HandshakeResponder.builder(ROUTE).secureKey(key).encryptionKey(16).build();
    ClientHandshake client = ClientHandshake.start(key, ROUTE, 48, new SecureRandom());
    byte[] msg3 = message3(client, shortServer);
    HandshakeResponder.Accepted accepted = shortServer.acceptMessage3(msg3);
    assertEquals(95 + 48, accepted.message4().length);
    assertSameKeys(client.finish(accepted.message4()), accepted.sessionKeys());
  }

  @Test
  void serverAcceptsEveryConfiguredKeyIdDuringRotation() throws CryptoException {
    SecureKey oldKey = key(1);
    SecureKey newKey = key(2).withKeyId(9);
    HandshakeResponder rotating = HandshakeResponder.builder(ROUTE).secureKey(oldKey).secureKey(newKey).build();
    assertBothSidesAgree(handshake(ClientHandshake.start(oldKey, ROUTE), rotating));
    assertBothSidesAgree(handshake(ClientHandshake.start(newKey, ROUTE), rotating));
  }

  @Test
  void theClientLearnsTheSessionsOwnerFromMessage4() throws CryptoException {
    ServerInstance instance = ServerInstance.random();
    HandshakeResponder server = HandshakeResponder.builder(ROUTE).secureKey(key).instance(instance).build();
    SessionKeys clientKeys = handshake(ClientHandshake.start(key, ROUTE), server)[0];
    assertArrayEquals(instance.id(), clientKeys.instanceId());
    assertArrayEquals(instance.sessionRejectKey(clientKeys.sessionId()), clientKeys.rejectKey());
  }

  @Test
  void theSessionIdIsTheOneTheClientProposedWithMessage1() throws CryptoException {
    HandshakeResponder server = HandshakeResponder.builder(ROUTE).secureKey(key).build();
    ClientHandshake client = ClientHandshake.start(key, ROUTE);
    byte[] msg2 = server.answerMessage1(client.message1());
    String proposed = client.sessionIdText();
    HandshakeResponder.Accepted accepted = server.acceptMessage3(client.message3(msg2));
    assertEquals(proposed, accepted.sessionKeys().sessionIdText());
    assertEquals(proposed, client.finish(accepted.message4()).sessionIdText());
  }

  @Test
  void unauthenticatedModeCompletesWithExplicitNone() throws CryptoException {
    HandshakeResponder open = HandshakeResponder.builder(ROUTE).secureKey(SecureKey.none()).build();
    ClientHandshake client = ClientHandshake.start(SecureKey.none(), ROUTE);
    byte[] msg1 = client.message1();
    assertEquals(38, msg1.length);
    assertEquals(0x02, msg1[2]);
    byte[] msg3 = client.message3(open.answerMessage1(msg1));
    assertAcceptedWithTheSameKeys(client, open, msg3);
  }

  @Test
  void oneResponderServesConcurrentHandshakesFromManyThreads() throws Exception {
    int threads = 4;
    int perThread = 50;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<String>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        results.add(pool.submit(() -> {
          start.await();
          List<String> ids = new ArrayList<>();
          for (int i = 0; i < perThread; i++) {
            SessionKeys[] keys = handshake(ClientHandshake.start(key, ROUTE), server);
            assertSameKeys(keys[0], keys[1]);
            ids.add(keys[0].sessionIdText());
          }
          return ids;
        }));
      }
      start.countDown();
      Set<String> distinct = new HashSet<>();
      for (Future<List<String>> f : results) {
        distinct.addAll(f.get());
      }
      assertEquals(threads * perThread, distinct.size());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void sessionKeysToStringShowsNoKeyMaterial() throws CryptoException {
    SessionKeys k = handshake(ClientHandshake.start(key, ROUTE), server)[0];
    String hex = HandshakeFixtures.HEX.formatHex(k.c2sKey());
    assertFalse(k.toString().contains(hex));
  }

  @Test
  void clientStepsOutOfOrderAreRefused() {
    ClientHandshake client = ClientHandshake.start(key, ROUTE);
    assertThrows(IllegalStateException.class, () -> client.message3(new byte[159]));
  }

  @Test
  void aFinishedHandshakeCannotBeUsedAgain() throws CryptoException {
    ClientHandshake client = ClientHandshake.start(key, ROUTE);
    byte[] msg3 = message3(client, server);
    byte[] msg4 = server.acceptMessage3(msg3).message4();
    client.finish(msg4);
    assertThrows(IllegalStateException.class, () -> client.finish(msg4));
  }

  @Test
  void aDestroyedHandshakeRefusesEveryStep() throws CryptoException {
    ClientHandshake client = ClientHandshake.start(key, ROUTE);
    byte[] msg2 = server.answerMessage1(client.message1());
    client.destroy();
    assertThrows(IllegalStateException.class, () -> client.message3(msg2));
  }

  @Test
  void builderRefusesMissingKeys() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> HandshakeResponder.builder(ROUTE).build());
    assertTrue(e.getMessage().contains("SecureKey.none()"));
  }

  @Test
  void builderRefusesNoneMixedWithRealKeys() {
    assertThrows(IllegalStateException.class,
        () -> HandshakeResponder.builder(ROUTE).secureKey(key.withKeyId(3)).secureKey(SecureKey.none()).build());
  }

  @Test
  void builderRefusesTwoKeysWithOneKeyId() {
    assertThrows(IllegalArgumentException.class,
        () -> HandshakeResponder.builder(ROUTE).secureKey(key(1)).secureKey(key(2)));
  }

  @Test
  void encryptionKeyOutsideSixteenToSixtyFourIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> HandshakeResponder.builder(ROUTE).encryptionKey(8));
    assertThrows(IllegalArgumentException.class, () -> ClientHandshake.start(key, ROUTE, 65, new SecureRandom()));
  }

  private static void assertBothSidesAgree(SessionKeys[] pair) {
    assertSameKeys(pair[0], pair[1]);
  }
}
