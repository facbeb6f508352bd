package dev.parley.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.Test;

class SymmetricStateTest {
  private static final String NAME = "Noise_NNpsk0_25519_AESGCM_SHA256";

  @Test
  void aShortProtocolNameIsZeroPaddedIntoTheHash() {
    SymmetricState s = new SymmetricState(NAME);
    assertArrayEquals(Arrays.copyOf(NAME.getBytes(StandardCharsets.US_ASCII), 32), s.handshakeHash());
    assertArrayEquals(s.handshakeHash(), s.chainingKey());
  }

  @Test
  void aLongProtocolNameIsHashed() {
    String name = "Noise_NNpsk0+psk2_25519_AESGCM_SHA256_extra";
    assertArrayEquals(Hkdf.sha256(name.getBytes(StandardCharsets.US_ASCII)), new SymmetricState(name).handshakeHash());
  }

  @Test
  void beforeAnyKeyEncryptAndHashPassesThePlaintextThrough() {
    SymmetricState s = new SymmetricState(NAME);
    assertFalse(s.hasKey());
    assertArrayEquals(new byte[] {1, 2, 3}, s.encryptAndHash(new byte[] {1, 2, 3}));
  }

  @Test
  void twoStatesWithTheSameInputsInteroperate() throws Exception {
    SymmetricState a = new SymmetricState(NAME);
    SymmetricState b = new SymmetricState(NAME);
    for (SymmetricState s : new SymmetricState[] {a, b}) {
      s.mixHash(new byte[] {9});
      s.mixKeyAndHash(new byte[32]);
    }
    assertTrue(a.hasKey());
    byte[] ct = a.encryptAndHash("hello".getBytes(StandardCharsets.US_ASCII));
    assertEquals(5 + 16, ct.length);
    assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), b.decryptAndHash(ct));
    assertArrayEquals(a.handshakeHash(), b.handshakeHash());
    assertArrayEquals(a.split()[0], b.split()[0]);
  }

  @Test
  void aFailedDecryptionLeavesTheStateUnchanged() throws Exception {
    SymmetricState a = new SymmetricState(NAME);
    SymmetricState b = new SymmetricState(NAME);
    a.mixKey(new byte[32]);
    b.mixKey(new byte[32]);
    byte[] ct = a.encryptAndHash(new byte[] {7});
    byte[] bad = ct.clone();
    bad[0] ^= 1;
    byte[] hBefore = b.handshakeHash();
    assertThrows(AEADBadTagException.class, () -> b.decryptAndHash(bad));
    assertArrayEquals(hBefore, b.handshakeHash());
    assertArrayEquals(new byte[] {7}, b.decryptAndHash(ct));
  }

  @Test
  void destroyZeroesChainingKeyHashAndKey() {
    SymmetricState s = new SymmetricState(NAME);
    s.mixKey(new byte[32]);
    s.destroy();
    assertArrayEquals(new byte[32], s.chainingKey());
    assertArrayEquals(new byte[32], s.handshakeHash());
    assertFalse(s.hasKey());
  }

  @Test
  void cipherStateNoncesCountUpFromZero() throws Exception {
    byte[] k = new byte[32];
    k[0] = 1;
    SymmetricState.CipherState send = new SymmetricState.CipherState(k);
    SymmetricState.CipherState recv = new SymmetricState.CipherState(k);
    byte[] first = send.encryptWithAd(new byte[0], new byte[] {1});
    byte[] second = send.encryptWithAd(new byte[0], new byte[] {1});
    assertFalse(Arrays.equals(first, second));
    assertEquals(2, send.nonce());
    assertThrows(AEADBadTagException.class, () -> recv.decryptWithAd(new byte[0], second));
    assertEquals(0, recv.nonce());
    assertArrayEquals(new byte[] {1}, recv.decryptWithAd(new byte[0], first));
    assertArrayEquals(new byte[] {1}, recv.decryptWithAd(new byte[0], second));
  }
}
