package dev.parley.crypto;

import static dev.parley.crypto.FrameFixtures.INSTANCE;
import static dev.parley.crypto.FrameFixtures.METHOD;
import static dev.parley.crypto.FrameFixtures.ROUTE;
import static dev.parley.crypto.FrameFixtures.answer;
import static dev.parley.crypto.FrameFixtures.body;
import static dev.parley.crypto.FrameFixtures.counting;
import static dev.parley.crypto.FrameFixtures.openRequest;
import static dev.parley.crypto.FrameFixtures.sealResponse;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.crypto.CryptoException.Reason;
import dev.parley.crypto.ClientChannel.RejectCheck;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The unknown-session reject of PROTOCOL.md §13: who may make it, and what it names. */
class RejectTest {

  private static ClientChannel client() {
    return FrameFixtures.client(FrameFixtures.fixedKeys());
  }

  /**
   * Seals a request on a fresh client, lets {@code instance} make the reject for it on
   * {@code route}, and returns what the client makes of that reject.
   */
  private static RejectCheck checkRejectMadeBy(ServerInstance instance, String route) throws CryptoException {
    ClientChannel client = client();
    ClientChannel.Sealed req = client.sealRequest(METHOD, ROUTE, body(10));
    return client.checkReject(instance.reject(req.frame(), route), req.counter(), req.tag(), ROUTE);
  }

  @Test
  void aRejectFromTheSessionsOwnInstanceVerifiesForTheRequestItAnswers() throws Exception {
    assertEquals(RejectCheck.VERIFIED, checkRejectMadeBy(INSTANCE, ROUTE));
  }

  @Test
  void theRejectLayoutIsTypeSidCounterInstanceIdThenOneMac() throws Exception {
    ClientChannel client = client();
    client.sealRequest(METHOD, ROUTE, body(1));
    ClientChannel.Sealed req = client.sealRequest(METHOD, ROUTE, body(10));   // ctr 1
    byte[] reject = INSTANCE.reject(req.frame(), ROUTE);
    assertEquals(ServerInstance.REJECT_LENGTH, reject.length);
    assertEquals(1 + 16 + 8 + 16 + 32, reject.length);
    ByteBuffer b = ByteBuffer.wrap(reject);
    assertEquals(0x07, b.get());
    byte[] sid = new byte[16];
    b.get(sid);
    assertArrayEquals(client.sessionId(), sid);
    assertEquals(1L, b.getLong());
    byte[] instance = new byte[16];
    b.get(instance);
    assertArrayEquals(INSTANCE.id(), instance);
  }

  @Test
  void aRejectFromAnotherInstanceWithTheSameSecureKeyProvesNothing() throws Exception {
    // A replica, or the same module restarted: another random instance secret.
    assertEquals(RejectCheck.OTHER_INSTANCE, checkRejectMadeBy(ServerInstance.random(), ROUTE));
  }

  @Test
  void anotherInstanceCannotPassItselfOffAsTheOwnerByCopyingTheOwnersId() throws Exception {
    ServerInstance impostor = ServerInstance.of(INSTANCE.id(), counting(0x33, 32));
    assertEquals(RejectCheck.INVALID, checkRejectMadeBy(impostor, ROUTE));
  }

  @Test
  void aRejectMadeForAnotherRouteProvesNothing() throws Exception {
    // A sibling module in the same process would be another instance anyway; the route is bound too.
    assertEquals(RejectCheck.INVALID, checkRejectMadeBy(INSTANCE, "/other"));
  }

  @Test
  void aRejectOfAnotherRequestProvesNothing() throws Exception {
    ClientChannel client = client();
    ClientChannel.Sealed a = client.sealRequest(METHOD, ROUTE, body(10));
    ClientChannel.Sealed b = client.sealRequest(METHOD, ROUTE, body(10));
    byte[] rejectA = INSTANCE.reject(a.frame(), ROUTE);
    assertEquals(RejectCheck.INVALID, client.checkReject(rejectA, b.counter(), b.tag(), ROUTE));
    assertEquals(RejectCheck.INVALID, client.checkReject(rejectA, a.counter(), b.tag(), ROUTE));
    assertEquals(RejectCheck.INVALID, client.checkReject(rejectA, b.counter(), a.tag(), ROUTE));
  }

  @Test
  void aRejectForAnotherSessionProvesNothing() throws Exception {
    ClientChannel client = client();
    ClientChannel.Sealed req = client.sealRequest(METHOD, ROUTE, body(10));
    byte[] reject = INSTANCE.reject(counting(0x55, 16), req.counter(), req.tag(), ROUTE);
    assertEquals(RejectCheck.INVALID, client.checkReject(reject, req.counter(), req.tag(), ROUTE));
  }

  @Test
  void aRejectBuiltFromARequestsPartsEqualsTheOneBuiltFromItsBytes() throws Exception {
    ClientChannel client = client();
    ClientChannel.Sealed req = client.sealRequest(METHOD, ROUTE, body(70_000));   // two chunks
    byte[] fromFrame = INSTANCE.reject(req.frame(), ROUTE);
    byte[] fromParts = INSTANCE.reject(client.sessionId(), req.counter(), req.tag(), ROUTE);
    assertArrayEquals(fromFrame, fromParts);
    assertEquals(RejectCheck.VERIFIED, client.checkReject(fromParts, req.counter(), req.tag(), ROUTE));
  }

  @Test
  void aRejectCannotBeBuiltFromSomethingThatIsNoRequest() throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair();
    ClientChannel.Sealed req = p.client().sealRequest(METHOD, ROUTE, body(1));
    byte[] response = answer(p.server(), req, body(1));
    assertEquals(Reason.MALFORMED, assertThrows(CryptoException.class, () -> INSTANCE.reject(response, ROUTE)).reason());
    assertEquals(Reason.MALFORMED, assertThrows(CryptoException.class,
        () -> INSTANCE.reject(Arrays.copyOf(req.frame(), 44), ROUTE)).reason());
  }

  @Test
  void aRetiredSessionAcceptsNothingMoreAndRemembersWhatItAccepted() throws Exception {
    FrameFixtures.Pair p = FrameFixtures.pair();
    ClientChannel.Sealed ran = p.client().sealRequest(METHOD, ROUTE, body(1));
    ClientChannel.Sealed inFlight = p.client().sealRequest(METHOD, ROUTE, body(1));
    openRequest(p.server(), ran.frame(), METHOD, ROUTE);

    ServerChannel.Retired retired = p.server().retire();

    assertEquals(Reason.REPLAY, assertThrows(CryptoException.class,
        () -> openRequest(p.server(), inFlight.frame(), METHOD, ROUTE)).reason(),
        "a frame that arrives after retirement is never accepted");
    assertFalse(retired.neverAccepted(ran.counter()), "the frame that ran");
    assertTrue(retired.neverAccepted(inFlight.counter()), "the frame that did not run, and now never will");
    assertTrue(retired.neverAccepted(inFlight.counter() + 10));
  }
}
