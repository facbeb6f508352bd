package dev.parley.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.InvalidKeyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/** Wycheproof {@code x25519_test.json} through {@link X25519#agree}, the call Parley's handshake makes. */
class X25519WycheproofTest {
  private static final JsonNode FILE = Vectors.load("wycheproof/x25519_test.json");

  @Test
  void validVectorsGiveTheExactSharedSecret() throws Exception {
    int run = 0;
    for (JsonNode t : tests()) {
      if (t.get("result").asText().equals("valid")) {
        run++;
        byte[] shared = X25519.agree(Vectors.hex(t, "private"), Vectors.hex(t, "public"));
        assertArrayEquals(Vectors.hex(t, "shared"), shared, Vectors.label(t));
      }
    }
    assertEquals(264, run);
  }

  @Test
  void allZeroSharedSecretsAreAlwaysRejected() {
    int run = 0;
    for (JsonNode t : tests()) {
      if (t.get("shared").asText().equals("00".repeat(32))) {
        run++;
        assertThrows(InvalidKeyException.class,
            () -> X25519.agree(Vectors.hex(t, "private"), Vectors.hex(t, "public")), Vectors.label(t));
      }
    }
    assertEquals(31, run, "vectors whose shared secret is all zeros (low-order public keys)");
  }

  @Test
  void acceptableVectorsGiveTheExactResultOrAreRejected(TestReporter reporter) {
    int exact = 0;
    int rejected = 0;
    for (JsonNode t : tests()) {
      if (!t.get("result").asText().equals("acceptable")) {
        continue;
      }
      try {
        byte[] shared = X25519.agree(Vectors.hex(t, "private"), Vectors.hex(t, "public"));
        assertArrayEquals(Vectors.hex(t, "shared"), shared, Vectors.label(t));
        exact++;
      } catch (InvalidKeyException e) {
        if (!t.get("shared").asText().equals("00".repeat(32))) {
          fail("rejected a non-zero acceptable result: " + Vectors.label(t));
        }
        rejected++;
      }
    }
    reporter.publishEntry("x25519 acceptable", exact + " exact, " + rejected + " rejected (all-zero shared secret)");
    assertEquals(254, exact + rejected);
  }

  @Test
  void publicKeysOfTheWrongLengthAreRejected() {
    byte[] priv = new byte[32];
    priv[0] = 1;
    assertThrows(InvalidKeyException.class, () -> X25519.agree(priv, new byte[31]));
    assertThrows(InvalidKeyException.class, () -> X25519.agree(priv, new byte[33]));
  }

  private static Iterable<JsonNode> tests() {
    assertEquals(1, FILE.get("testGroups").size());
    assertEquals("curve25519", FILE.get("testGroups").get(0).get("curve").asText());
    return FILE.get("testGroups").get(0).get("tests");
  }
}
