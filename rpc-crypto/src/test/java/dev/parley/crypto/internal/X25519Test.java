package dev.parley.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.InvalidKeyException;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class X25519Test {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Test
  void bothSidesAgreeOnTheSameSecret() throws Exception {
    X25519.KeyPair a = X25519.generate(RANDOM);
    X25519.KeyPair b = X25519.generate(RANDOM);
    assertArrayEquals(X25519.agree(a.privateKey(), b.publicKey()), X25519.agree(b.privateKey(), a.publicKey()));
  }

  @Test
  void rfc7748AliceAndBobKeysAreReproduced() throws Exception {
    // RFC 7748 §6.1
    X25519.KeyPair alice = X25519.fromPrivate(Vectors.hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
    X25519.KeyPair bob = X25519.fromPrivate(Vectors.hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
    assertEquals("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", Vectors.hex(alice.publicKey()));
    assertEquals("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", Vectors.hex(bob.publicKey()));
    assertEquals("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742",
        Vectors.hex(X25519.agree(alice.privateKey(), bob.publicKey())));
  }

  @Test
  void theZeroPointIsRejected() {
    X25519.KeyPair a = X25519.generate(RANDOM);
    assertThrows(InvalidKeyException.class, () -> X25519.agree(a.privateKey(), new byte[32]));
  }

  @Test
  void toStringShowsThePublicKeyButNeverThePrivateKey() {
    X25519.KeyPair a = X25519.generate(RANDOM);
    String s = a.toString();
    assertTrue(s.contains(Vectors.hex(a.publicKey())));
    assertFalse(s.contains(Vectors.hex(a.privateKey()).substring(0, 8)));
  }

  @Test
  void destroyZeroesThePrivateKey() {
    X25519.KeyPair a = X25519.generate(RANDOM);
    a.destroy();
    assertArrayEquals(new byte[32], a.privateKey());
  }
}
