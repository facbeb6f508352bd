package dev.parley.crypto;

import static dev.parley.crypto.FrameFixtures.METHOD;
import static dev.parley.crypto.FrameFixtures.ROUTE;
import static dev.parley.crypto.FrameFixtures.body;
import static dev.parley.crypto.FrameFixtures.counting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** The handshake's SessionKeys drive ClientChannel and ServerChannel; rejects use the instance's reject key. */
class ChannelsAfterHandshakeTest {
  private static final SecureKey KEY = SecureKey.fromBytes(counting(0x33, 32));

  @Test
  void channelsFromAHandshakeExchangeRequestsAndResponses() throws Exception {
    SessionKeys[] keys = HandshakeFixtures.handshake(ClientHandshake.start(KEY, ROUTE), HandshakeResponder.builder(ROUTE).secureKey(KEY).build());
    FrameFixtures.Pair p = new FrameFixtures.Pair(FrameFixtures.client(keys[0]), FrameFixtures.server(keys[1]));
    assertArrayEquals(keys[1].sessionId(), p.client().sessionId(), "both sides name one session");
    p.assertWorks();
  }

  @Test
  void aRejectFromTheInstanceThatRanTheHandshakeVerifiesAndOneFromItsRestartDoesNot() throws Exception {
    HandshakeResponder responder = HandshakeResponder.builder(ROUTE).secureKey(KEY).build();
    SessionKeys[] keys = HandshakeFixtures.handshake(ClientHandshake.start(KEY, ROUTE), responder);
    ClientChannel client = FrameFixtures.client(keys[0]);
    ClientChannel.Sealed req = client.sealRequest(METHOD, ROUTE, body(20));
    // The instance dropped the session (expiry): it holds no state for it, only its instance secret.
    assertEquals(ClientChannel.RejectCheck.VERIFIED,
        client.checkReject(responder.instance().reject(req.frame(), ROUTE), req.counter(), req.tag(), ROUTE));
    // A restarted process (or a replica) with the same SecureKey is another instance.
    ServerInstance restarted = HandshakeResponder.builder(ROUTE).secureKey(KEY).build().instance();
    assertEquals(ClientChannel.RejectCheck.OTHER_INSTANCE,
        client.checkReject(restarted.reject(req.frame(), ROUTE), req.counter(), req.tag(), ROUTE));
  }
}
