package dev.parley.crypto;

import static dev.parley.crypto.FrameFixtures.HEX;
import static dev.parley.crypto.FrameFixtures.METHOD;
import static dev.parley.crypto.FrameFixtures.ROUTE;
import static dev.parley.crypto.FrameFixtures.body;
import static dev.parley.crypto.FrameFixtures.counting;
import static dev.parley.crypto.FrameFixtures.openRequest;
import static dev.parley.crypto.FrameFixtures.sealResponse;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The public surface of the channels and session keys: argument checks, what toString and exceptions show. */
class ChannelApiTest {

  @Test
  void badArgumentsFailWithMessagesThatSayWhatToChange() {
    ServerChannel server = FrameFixtures.server(FrameFixtures.fixedKeys());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> sealResponse(server, 0, 42, METHOD, ROUTE, body(1)));
    assertTrue(e.getMessage().contains("100..999"));
    assertThrows(IllegalArgumentException.class, () -> sealResponse(server, -1, 200, METHOD, ROUTE, body(1)));
    assertThrows(NullPointerException.class, () -> sealResponse(server, 0, 200, null, ROUTE, body(1)));
    assertThrows(IllegalArgumentException.class,
        () -> ClientChannel.create(FrameFixtures.fixedKeys(), Duration.ZERO, Clock.systemUTC()));
    assertThrows(IllegalArgumentException.class,
        () -> ServerChannel.create(FrameFixtures.fixedKeys(), Duration.ofSeconds(-1), Clock.systemUTC()));
    assertThrows(IllegalArgumentException.class,
        () -> FrameFixtures.client(FrameFixtures.fixedKeys()).sealRequest(METHOD, "/" + "x".repeat(70_000), body(1)));
  }

  @Test
  void noKeyAppearsInToStringOrInRejections() throws Exception {
    SessionKeys keys = FrameFixtures.fixedKeys();
    ServerChannel server = FrameFixtures.server(keys);
    String shown = keys + " " + server + " " + FrameFixtures.client(keys);
    CryptoException e = assertThrows(CryptoException.class, () -> openRequest(server, new byte[80], METHOD, ROUTE));
    shown += " " + e.getMessage();
    for (byte[] secret : new byte[][] {keys.c2sKey(), keys.s2cKey(), keys.c2sIv(), keys.s2cIv(), keys.rejectKey()}) {
      assertFalse(shown.contains(HEX.formatHex(secret)));
      assertFalse(shown.contains(java.util.Base64.getEncoder().encodeToString(secret)));
    }
    assertEquals("frame rejected", e.getMessage());
    assertTrue(keys.toString().contains(keys.sessionIdText()));
  }

  @Test
  void sessionKeysCopyTheirArraysInAndOut() {
    byte[] key = counting(0x20, 32);
    SessionKeys keys = new SessionKeys(counting(0, 16), key, counting(0x40, 12), counting(0x60, 32),
        counting(0x80, 12), counting(0xa0, 32), counting(0xc0, 16));
    key[0] = 99;
    assertArrayEquals(counting(0x20, 32), keys.c2sKey());
    keys.c2sKey()[0] = 99;
    assertArrayEquals(counting(0x20, 32), keys.c2sKey());
  }

  @Test
  void sessionKeysRefuseWrongLengths() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SessionKeys(counting(0, 15),
        counting(0x20, 32), counting(0x40, 12), counting(0x60, 32), counting(0x80, 12), counting(0xa0, 32),
        counting(0xc0, 16)));
    assertTrue(e.getMessage().contains("sessionId16 must be 16 bytes"));
  }

  @Test
  void destroyedSessionKeysHoldOnlyZeros() {
    SessionKeys keys = FrameFixtures.fixedKeys();
    keys.destroy();
    assertArrayEquals(new byte[32], keys.c2sKey());
    assertArrayEquals(new byte[32], keys.s2cKey());
    assertArrayEquals(new byte[32], keys.rejectKey());
    assertArrayEquals(new byte[12], keys.c2sIv());
  }

  @Test
  void aChannelOutlivesTheSessionKeysItWasMadeFrom() throws Exception {
    SessionKeys keys = FrameFixtures.fixedKeys();
    FrameFixtures.Pair p = new FrameFixtures.Pair(FrameFixtures.client(keys), FrameFixtures.server(keys));
    keys.destroy();
    p.assertWorks();
  }
}
