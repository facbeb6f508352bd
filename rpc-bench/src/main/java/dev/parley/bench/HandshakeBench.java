package dev.parley.bench;

import dev.parley.crypto.ClientHandshake;
import dev.parley.crypto.CryptoException;
import dev.parley.crypto.HandshakeResponder;
import dev.parley.crypto.SecureKey;
import dev.parley.crypto.SessionKeys;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One full four-message handshake, client and server work together on one thread: msg1, msg2,
 * msg3, msg4 and both sides' session keys. {@code suite=psk} is Noise NNpsk0 with a SecureKey,
 * {@code none} the unauthenticated NN mode. The score is handshakes per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class HandshakeBench {
  private static final String ROUTE = "/bench";

  @Param({"psk", "none"})
  public String suite;

  private SecureRandom random;
  private SecureKey secureKey;
  private HandshakeResponder responder;

  @Setup(Level.Trial)
  public void setUp() {
    random = new SecureRandom();
    if (suite.equals("none")) {
      secureKey = SecureKey.none();
    } else {
      byte[] key = new byte[32];
      random.nextBytes(key);
      secureKey = SecureKey.fromBytes(key);
    }
    responder = HandshakeResponder.builder(ROUTE).secureKey(secureKey).random(random).build();
  }

  @Benchmark
  public SessionKeys fullHandshake() throws CryptoException {
    ClientHandshake client = ClientHandshake.start(secureKey, ROUTE, 32, random);
    byte[] msg2 = responder.answerMessage1(client.message1());
    HandshakeResponder.Accepted accepted = responder.acceptMessage3(client.message3(msg2));
    SessionKeys clientKeys = client.finish(accepted.message4());
    accepted.sessionKeys().destroy();
    return clientKeys;
  }
}
