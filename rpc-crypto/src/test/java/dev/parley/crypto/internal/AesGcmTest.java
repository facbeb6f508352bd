package dev.parley.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;

class AesGcmTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final byte[] keyBytes = random(32);
  private final SecretKey key = AesGcm.key(keyBytes);
  private final byte[] nonce = random(12);
  private final byte[] ad = "POST /calc".getBytes(StandardCharsets.US_ASCII);
  private final byte[] plaintext = random(100);

  private byte[] seal() {
    byte[] out = new byte[plaintext.length + AesGcm.TAG_LENGTH];
    AesGcm.seal(key, nonce, ad, plaintext, 0, plaintext.length, out, 0);
    return out;
  }

  @Test
  void sealingInPlaceGivesTheSameBytesAsSealingIntoAnotherArray() {
    byte[] expected = seal();
    byte[] buf = Arrays.copyOf(plaintext, plaintext.length + AesGcm.TAG_LENGTH);
    assertEquals(buf.length, AesGcm.seal(key, nonce, ad, buf, 0, plaintext.length, buf, 0));
    assertArrayEquals(expected, buf);
  }

  @Test
  void openingInPlaceRecoversThePlaintext() throws Exception {
    byte[] buf = seal();
    assertEquals(plaintext.length, AesGcm.open(key, nonce, ad, buf, 0, buf.length, buf, 0));
    assertArrayEquals(plaintext, Arrays.copyOf(buf, plaintext.length));
  }

  @Test
  void slicesWithOffsetsSealAndOpen() throws Exception {
    byte[] in = new byte[plaintext.length + 7];
    System.arraycopy(plaintext, 0, in, 5, plaintext.length);
    byte[] adBuf = new byte[ad.length + 3];
    System.arraycopy(ad, 0, adBuf, 2, ad.length);
    byte[] out = new byte[plaintext.length + AesGcm.TAG_LENGTH + 9];
    AesGcm.seal(key, nonce, adBuf, 2, ad.length, in, 5, plaintext.length, out, 9);
    assertArrayEquals(seal(), Arrays.copyOfRange(out, 9, out.length));
    byte[] back = new byte[plaintext.length + 4];
    AesGcm.open(key, nonce, adBuf, 2, ad.length, out, 9, plaintext.length + AesGcm.TAG_LENGTH, back, 4);
    assertArrayEquals(plaintext, Arrays.copyOfRange(back, 4, back.length));
  }

  @Test
  void everyFlippedBitOfCiphertextOrTagIsRejected() {
    byte[] sealed = seal();
    byte[] out = new byte[plaintext.length];
    for (int i = 0; i < sealed.length; i++) {
      for (int mask : new int[] {0x01, 0x80}) {
        byte[] bad = sealed.clone();
        bad[i] ^= (byte) mask;
        assertThrows(AEADBadTagException.class, () -> AesGcm.open(key, nonce, ad, bad, 0, bad.length, out, 0), "byte " + i);
      }
    }
  }

  @Test
  void aFlippedBitOfTheAssociatedDataIsRejected() {
    byte[] sealed = seal();
    byte[] out = new byte[plaintext.length];
    for (int i = 0; i < ad.length; i++) {
      byte[] badAd = ad.clone();
      badAd[i] ^= 0x01;
      assertThrows(AEADBadTagException.class, () -> AesGcm.open(key, nonce, badAd, sealed, 0, sealed.length, out, 0));
    }
    assertThrows(AEADBadTagException.class, () -> AesGcm.open(key, nonce, null, sealed, 0, sealed.length, out, 0));
  }

  @Test
  void aWrongNonceOrKeyIsRejected() {
    byte[] sealed = seal();
    byte[] out = new byte[plaintext.length];
    byte[] otherNonce = nonce.clone();
    otherNonce[11] ^= 0x01;
    assertThrows(AEADBadTagException.class, () -> AesGcm.open(key, otherNonce, ad, sealed, 0, sealed.length, out, 0));
    SecretKey otherKey = AesGcm.key(random(32));
    assertThrows(AEADBadTagException.class, () -> AesGcm.open(otherKey, nonce, ad, sealed, 0, sealed.length, out, 0));
  }

  @Test
  void inputShorterThanTheTagIsRejected() {
    byte[] out = new byte[16];
    assertThrows(AEADBadTagException.class, () -> AesGcm.open(key, nonce, ad, new byte[15], 0, 15, out, 0));
  }

  @Test
  void anEmptyPlaintextSealsToJustTheTag() throws Exception {
    byte[] out = new byte[AesGcm.TAG_LENGTH];
    assertEquals(16, AesGcm.seal(key, nonce, ad, new byte[0], 0, 0, out, 0));
    assertEquals(0, AesGcm.open(key, nonce, ad, out, 0, 16, new byte[0], 0));
  }

  @Test
  void sealingTheSameInputTwiceOnOneThreadGivesIdenticalBytes() {
    // The JDK refuses re-using a Cipher object's last (key, nonce) for encryption; AesGcm
    // continues with a fresh Cipher so deterministic re-computation works (see class doc).
    assertArrayEquals(seal(), seal());
  }

  @Test
  void aThreadKeepsOneCipherPerRecentKeyAndDirection() {
    // A client thread seals under one key and opens under another; each keeps its own Cipher (and
    // so its key schedule) instead of one Cipher re-expanding the key on every call.
    AesGcm.Ciphers ciphers = new AesGcm.Ciphers();
    SecretKey sealKey = AesGcm.key(random(32));
    SecretKey openKey = AesGcm.key(random(32));
    int sealSlot = ciphers.slotFor(javax.crypto.Cipher.ENCRYPT_MODE, sealKey);
    int openSlot = ciphers.slotFor(javax.crypto.Cipher.DECRYPT_MODE, openKey);
    assertFalse(sealSlot == openSlot);
    assertEquals(sealSlot, ciphers.slotFor(javax.crypto.Cipher.ENCRYPT_MODE, sealKey));
    assertEquals(openSlot, ciphers.slotFor(javax.crypto.Cipher.DECRYPT_MODE, openKey));
    assertTrue(ciphers.cipher(sealSlot) == ciphers.cipher(sealSlot));
    // SLOTS other keys in the same direction take every slot over, the oldest first.
    for (int i = 0; i < AesGcm.SLOTS; i++) {
      int slot = ciphers.slotFor(javax.crypto.Cipher.ENCRYPT_MODE, AesGcm.key(random(32)));
      assertFalse(slot == openSlot);
    }
    assertEquals(openSlot, ciphers.slotFor(javax.crypto.Cipher.DECRYPT_MODE, openKey));
    int again = ciphers.slotFor(javax.crypto.Cipher.ENCRYPT_MODE, sealKey);
    assertTrue(again < AesGcm.SLOTS);
  }

  @Test
  void manyKeysInTurnOnOneThreadSealExactlyAsAnotherThreadDoes() throws Exception {
    // More keys than slots, sealing and opening interleaved: every answer must equal the one a
    // thread with its own Ciphers computes.
    int count = 2 * AesGcm.SLOTS + 1;
    List<SecretKey> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      keys.add(AesGcm.key(random(32)));
    }
    List<byte[]> here = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < count; i++) {
        byte[] n = nonce.clone();
        n[0] = (byte) round;
        byte[] out = new byte[plaintext.length + AesGcm.TAG_LENGTH];
        AesGcm.seal(keys.get(i), n, ad, plaintext, 0, plaintext.length, out, 0);
        byte[] back = new byte[plaintext.length];
        AesGcm.open(keys.get(i), n, ad, out, 0, out.length, back, 0);
        assertArrayEquals(plaintext, back);
        here.add(out);
      }
    }
    ExecutorService fresh = Executors.newSingleThreadExecutor();
    try {
      for (int round = 0; round < 3; round++) {
        for (int i = 0; i < count; i++) {
          int r = round;
          SecretKey k = keys.get(i);
          byte[] expected = fresh.submit(() -> {
            byte[] n = nonce.clone();
            n[0] = (byte) r;
            byte[] out = new byte[plaintext.length + AesGcm.TAG_LENGTH];
            AesGcm.seal(k, n, ad, plaintext, 0, plaintext.length, out, 0);
            return out;
          }).get();
          assertArrayEquals(expected, here.get(round * count + i));
        }
      }
    } finally {
      fresh.shutdownNow();
    }
  }

  @Test
  void wrongKeyAndNonceLengthsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> AesGcm.key(new byte[16]));
    assertThrows(IllegalArgumentException.class,
        () -> AesGcm.seal(key, new byte[16], ad, plaintext, 0, plaintext.length, new byte[200], 0));
  }

  @Test
  void aDestroyedKeyIsZeroedAndUnusable() throws Exception {
    SecretKey k = AesGcm.key(random(32));
    k.destroy();
    assertTrue(k.isDestroyed());
    assertThrows(IllegalStateException.class, k::getEncoded);
    assertFalse(k.toString().matches(".*[0-9a-f]{16}.*"));
  }

  @Test
  void manyThreadsSealingWithDistinctNoncesAllVerify() throws Exception {
    int threads = 8;
    int perThread = 300;
    SecretKey[] keys = {key, AesGcm.key(random(32))};
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<byte[][]>>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          start.await();
          List<byte[][]> sealed = new ArrayList<>();
          for (int i = 0; i < perThread; i++) {
            byte[] n = new byte[12];
            n[0] = (byte) thread;
            n[8] = (byte) (i >>> 8);
            n[11] = (byte) i;
            byte[] msg = ("thread " + thread + " message " + i).getBytes(StandardCharsets.US_ASCII);
            byte[] out = new byte[msg.length + 16];
            AesGcm.seal(keys[i % 2], n, ad, msg, 0, msg.length, out, 0);
            sealed.add(new byte[][] {n, msg, out});
          }
          return sealed;
        }));
      }
      // Open on another thread than the one that sealed (this one), every message.
      int opened = 0;
      for (Future<List<byte[][]>> f : futures) {
        int i = 0;
        for (byte[][] s : f.get()) {
          byte[] back = new byte[s[1].length];
          AesGcm.open(keys[i++ % 2], s[0], ad, s[2], 0, s[2].length, back, 0);
          assertArrayEquals(s[1], back);
          opened++;
        }
      }
      assertEquals(threads * perThread, opened);
    } finally {
      pool.shutdownNow();
    }
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
