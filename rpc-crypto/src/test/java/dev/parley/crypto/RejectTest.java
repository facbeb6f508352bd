package dev.parley.crypto;

import static dev.parley.crypto.FrameFixtures.METHOD;
import static dev.parley.crypto.FrameFixtures.ROUTE;
import static dev.parley.crypto.FrameFixtures.body;
import static dev.parley.crypto.FrameFixtures.counting;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.crypto.CryptoException.Reason;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The unknown-session reject of PROTOCOL.md §13. */
class RejectTest {
  private static final SecureKey SERVER_KEY = SecureKey.fromBytes(counting(0x10, 32));
  private static final SecureKey OTHER_KEY = SecureKey.fromBytes(counting(0x90, 32));

  /** A client whose session came from a handshake under {@code key}. */
  private static SecureChannel clientOf(SecureKey key) {
    SessionKeys k = FrameFixtures.fixedKeys();
    return SecureChannel.client(new SessionKeys(k.sessionId(), k.c2sKey(), k.c2sIv(), k.s2cKey(), k.s2cIv(),
        key.rejectKey()));
  }

  @Test
  void aRejectFromTheServerVerifiesForTheRequestItAnswers() throws Exception {
    SecureChannel client = clientOf(SERVER_KEY);
    SecureChannel.Sealed req = client.sealRequest(METHOD, ROUTE, body(10));
    byte[] reject = SecureChannel.sealReject(req.frame(), SERVER_KEY);
    assertTrue(client.verifyReject(reject, req.counter(), req.tag()));
  }

  @Test
  void theRejectLayoutIsTypeSidCounterCountThenMacs() throws Exception {
    SecureChannel client = clientOf(SERVER_KEY);
    client.sealRequest(METHOD, ROUTE, body(1));
    SecureChannel.Sealed req = client.sealRequest(METHOD, ROUTE, body(10));   // ctr 1
    byte[] reject = SecureChannel.sealReject(req.frame(), SERVER_KEY, OTHER_KEY);
    assertEquals(26 + 2 * 32, reject.length);
    ByteBuffer b = ByteBuffer.wrap(reject);
    assertEquals(0x07, b.get());
    byte[] sid = new byte[16];
    b.get(sid);
    assertArrayEquals(client.sessionId(), sid);
    assertEquals(1L, b.getLong());
    assertEquals(2, b.get());
  }

  @Test
  void aRejectOfAnotherRequestDoesNotVerify() throws Exception {
    SecureChannel client = clientOf(SERVER_KEY);
    SecureChannel.Sealed a = client.sealRequest(METHOD, ROUTE, body(10));
    SecureChannel.Sealed b = client.sealRequest(METHOD, ROUTE, body(10));
    byte[] rejectA = SecureChannel.sealReject(a.frame(), SERVER_KEY);
    assertFalse(client.verifyReject(rejectA, b.counter(), b.tag()));
    assertFalse(client.verifyReject(rejectA, a.counter(), b.tag()));
    assertFalse(client.verifyReject(rejectA, b.counter(), a.tag()));
  }

  @Test
  void aRejectForAnotherSessionDoesNotVerify() throws Exception {
    SecureChannel client = clientOf(SERVER_KEY);
    SecureChannel.Sealed req = client.sealRequest(METHOD, ROUTE, body(10));
    byte[] reject = SecureChannel.sealReject(counting(0x55, 16), req.counter(), req.tag(), SERVER_KEY);
    assertFalse(client.verifyReject(reject, req.counter(), req.tag()));
  }

  @Test
  void aRejectUnderAnotherSecureKeyDoesNotVerify() throws Exception {
    SecureChannel client = clientOf(SERVER_KEY);
    SecureChannel.Sealed req = client.sealRequest(METHOD, ROUTE, body(10));
    assertFalse(client.verifyReject(SecureChannel.sealReject(req.frame(), OTHER_KEY), req.counter(), req.tag()));
  }

  @Test
  void duringRotationARejectCarryingBothKeysVerifiesForClientsOfEither() throws Exception {
    for (SecureKey clientKey : new SecureKey[] {SERVER_KEY, OTHER_KEY}) {
      SecureChannel client = clientOf(clientKey);
      SecureChannel.Sealed req = client.sealRequest(METHOD, ROUTE, body(10));
      byte[] reject = SecureChannel.sealReject(req.frame(), SERVER_KEY, OTHER_KEY);
      assertTrue(client.verifyReject(reject, req.counter(), req.tag()));
    }
  }

  @Test
  void aRejectBuiltFromAStreamedRequestEqualsTheOneBuiltFromItsBytes() throws Exception {
    SecureChannel client = clientOf(SERVER_KEY);
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    SecureChannel.SealingStream out = client.sealRequest(METHOD, ROUTE, wire);
    out.write(body(70_000));
    out.finish();
    byte[] fromFrame = SecureChannel.sealReject(wire.toByteArray(), SERVER_KEY);
    byte[] fromParts = SecureChannel.sealReject(client.sessionId(), out.counter(), out.tag(), SERVER_KEY);
    assertArrayEquals(fromFrame, fromParts);
    assertTrue(client.verifyReject(fromParts, out.counter(), out.tag()));
  }

  @Test
  void aRejectCannotBeBuiltFromSomethingThatIsNoRequest() throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair();
    SecureChannel.Sealed req = p.client().sealRequest(METHOD, ROUTE, body(1));
    p.server().openRequest(req.frame(), METHOD, ROUTE);
    byte[] response = p.server().sealResponse(req.counter(), 200, METHOD, ROUTE, body(1));
    assertEquals(Reason.MALFORMED,
        assertThrows(CryptoException.class, () -> SecureChannel.sealReject(response, SERVER_KEY)).reason());
    assertEquals(Reason.MALFORMED, assertThrows(CryptoException.class,
        () -> SecureChannel.sealReject(Arrays.copyOf(req.frame(), 44), SERVER_KEY)).reason());
  }

  @Test
  void aRejectNeedsOneToFourKeys() {
    byte[] sid = counting(0, 16);
    byte[] tag = counting(0, 16);
    assertThrows(IllegalArgumentException.class, () -> SecureChannel.sealReject(sid, 0, tag));
    assertThrows(IllegalArgumentException.class, () -> SecureChannel.sealReject(sid, 0, tag,
        SERVER_KEY, OTHER_KEY, SERVER_KEY, OTHER_KEY, SERVER_KEY));
  }
}
