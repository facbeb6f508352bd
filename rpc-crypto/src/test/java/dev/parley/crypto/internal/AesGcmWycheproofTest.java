package dev.parley.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * Wycheproof {@code aes_gcm_test.json} through {@link AesGcm}, the exact calls Parley makes. Only
 * AES-256 with a 96-bit nonce and a 128-bit tag is used by Parley; other groups (AES-128/192,
 * other IV lengths) cannot be expressed through this API and are counted as skipped.
 */
class AesGcmWycheproofTest {
  private static final JsonNode FILE = Vectors.load("wycheproof/aes_gcm_test.json");

  @Test
  void validAes256GcmVectorsSealToTheExactCiphertextAndTagAndOpen(TestReporter reporter) throws Exception {
    int run = 0;
    Map<String, Integer> skipped = new TreeMap<>();
    for (JsonNode group : FILE.get("testGroups")) {
      int keySize = group.get("keySize").asInt();
      int ivSize = group.get("ivSize").asInt();
      int tagSize = group.get("tagSize").asInt();
      boolean parleyShape = keySize == 256 && ivSize == 96 && tagSize == 128;
      for (JsonNode t : group.get("tests")) {
        if (!parleyShape) {
          String why = keySize != 256 ? "key size " + keySize + " (Parley uses 256)"
              : ivSize != 96 ? "IV size other than 96 bits" : "tag size " + tagSize;
          skipped.merge(why, 1, Integer::sum);
          continue;
        }
        if (!t.get("result").asText().equals("valid")) {
          continue;
        }
        run++;
        byte[] msg = Vectors.hex(t, "msg");
        byte[] aad = Vectors.hex(t, "aad");
        byte[] iv = Vectors.hex(t, "iv");
        byte[] expected = concat(Vectors.hex(t, "ct"), Vectors.hex(t, "tag"));
        SecretKey key = AesGcm.key(Vectors.hex(t, "key"));

        byte[] sealed = new byte[msg.length + AesGcm.TAG_LENGTH];
        assertEquals(sealed.length, AesGcm.seal(key, iv, aad, msg, 0, msg.length, sealed, 0), Vectors.label(t));
        assertArrayEquals(expected, sealed, Vectors.label(t));

        byte[] inPlace = Arrays.copyOf(msg, msg.length + AesGcm.TAG_LENGTH);
        AesGcm.seal(key, iv, aad, inPlace, 0, msg.length, inPlace, 0);
        assertArrayEquals(expected, inPlace, "in place, " + Vectors.label(t));

        byte[] opened = new byte[msg.length];
        assertEquals(msg.length, AesGcm.open(key, iv, aad, expected, 0, expected.length, opened, 0), Vectors.label(t));
        assertArrayEquals(msg, opened, Vectors.label(t));
      }
    }
    int skippedTotal = skipped.values().stream().mapToInt(Integer::intValue).sum();
    reporter.publishEntry("aes_gcm valid vectors run", Integer.toString(run));
    reporter.publishEntry("aes_gcm vectors skipped (not AES-256/96-bit IV/128-bit tag)", skipped.toString());
    assertEquals(39, run, "valid AES-256/96/128 vectors");
    assertEquals(316 - 66, skippedTotal, "vectors outside Parley's AES-256/96/128 shape");
  }

  @Test
  void invalidAes256GcmVectorsAreRejectedByOpen() {
    int run = 0;
    for (JsonNode group : FILE.get("testGroups")) {
      if (group.get("keySize").asInt() != 256 || group.get("ivSize").asInt() != 96 || group.get("tagSize").asInt() != 128) {
        continue;
      }
      for (JsonNode t : group.get("tests")) {
        if (!t.get("result").asText().equals("invalid")) {
          continue;
        }
        run++;
        byte[] sealed = concat(Vectors.hex(t, "ct"), Vectors.hex(t, "tag"));
        SecretKey key = AesGcm.key(Vectors.hex(t, "key"));
        byte[] iv = Vectors.hex(t, "iv");
        byte[] aad = Vectors.hex(t, "aad");
        byte[] out = new byte[Math.max(0, sealed.length - AesGcm.TAG_LENGTH)];
        assertThrows(AEADBadTagException.class,
            () -> AesGcm.open(key, iv, aad, sealed, 0, sealed.length, out, 0), Vectors.label(t));
      }
    }
    assertEquals(27, run, "invalid AES-256/96/128 vectors (all modified tags)");
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
