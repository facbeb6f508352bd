package dev.parley.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Wycheproof {@code hkdf_sha256_test.json} and {@code hmac_sha256_test.json} through {@link Hkdf}.
 * HKDF is run as Parley runs it: {@code expand(extract(salt, ikm), info, size)}.
 */
class HkdfWycheproofTest {

  @Test
  void validHkdfVectorsGiveTheExactOutputKeyingMaterial() {
    List<JsonNode> valid = tests("valid");
    for (JsonNode t : valid) {
      byte[] prk = Hkdf.extract(Vectors.hex(t, "salt"), Vectors.hex(t, "ikm"));
      byte[] okm = Hkdf.expand(prk, Vectors.hex(t, "info"), t.get("size").asInt());
      assertArrayEquals(Vectors.hex(t, "okm"), okm, Vectors.label(t));
    }
    assertEquals(83, valid.size());
  }

  @Test
  void hkdfOutputsLongerThan255HashesAreRefused() {
    List<JsonNode> invalid = tests("invalid");
    for (JsonNode t : invalid) {
      byte[] prk = Hkdf.extract(Vectors.hex(t, "salt"), Vectors.hex(t, "ikm"));
      int size = t.get("size").asInt();
      assertThrows(IllegalArgumentException.class, () -> Hkdf.expand(prk, Vectors.hex(t, "info"), size), Vectors.label(t));
    }
    assertEquals(3, invalid.size());
  }

  /** The HKDF-SHA256 vectors whose expected result is {@code result}. */
  private static List<JsonNode> tests(String result) {
    List<JsonNode> tests = new ArrayList<>();
    for (JsonNode group : Vectors.load("wycheproof/hkdf_sha256_test.json").get("testGroups")) {
      for (JsonNode t : group.get("tests")) {
        if (t.get("result").asText().equals(result)) {
          tests.add(t);
        }
      }
    }
    return tests;
  }

  @Test
  void hmacVectorsMatchAtTheVectorsTagSizeAndModifiedTagsDoNot() {
    int valid = 0;
    int invalid = 0;
    for (JsonNode group : Vectors.load("wycheproof/hmac_sha256_test.json").get("testGroups")) {
      int tagBytes = group.get("tagSize").asInt() / 8;
      for (JsonNode t : group.get("tests")) {
        byte[] full = Hkdf.hmac(Vectors.hex(t, "key"), Vectors.hex(t, "msg"));
        byte[] truncated = Arrays.copyOf(full, tagBytes);
        boolean matches = MessageDigest.isEqual(truncated, Vectors.hex(t, "tag"));
        if (t.get("result").asText().equals("valid")) {
          valid++;
          assertArrayEquals(Vectors.hex(t, "tag"), truncated, Vectors.label(t));
        } else {
          invalid++;
          assertFalse(matches, Vectors.label(t));
        }
      }
    }
    assertEquals(66, valid);
    assertEquals(108, invalid);
  }
}
