package dev.parley.crypto;

import static dev.parley.crypto.HandshakeFixtures.HEX;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecureKeyTest {
  private static final byte[] RAW = HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  private static final byte[] SALT = HEX.parseHex("5061726c6579206465706c6f796d656e74");

  @Test
  void hexKeyDerivesThePskOfTheRawBytes() {
    assertArrayEquals(SecureKey.fromBytes(RAW).psk(), SecureKey.parse(HEX.formatHex(RAW)).psk());
  }

  @Test
  void upperCaseHexIsTheSameKey() {
    assertArrayEquals(SecureKey.fromBytes(RAW).psk(), SecureKey.parse(HEX.formatHex(RAW).toUpperCase()).psk());
  }

  @Test
  void standardBase64WithOrWithoutPaddingIsTheSameKey() {
    byte[] expected = SecureKey.fromBytes(RAW).psk();
    String padded = Base64.getEncoder().encodeToString(RAW);
    assertTrue(padded.endsWith("="));
    assertArrayEquals(expected, SecureKey.parse(padded).psk());
    assertArrayEquals(expected, SecureKey.parse(padded.replace("=", "")).psk());
  }

  @Test
  void urlSafeBase64IsTheSameKey() {
    byte[] raw = new byte[48];
    java.util.Arrays.fill(raw, (byte) 0xfb);  // encodes with '+'/'/' or '-'/'_'
    String url = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    assertTrue(url.contains("-") || url.contains("_"));
    assertArrayEquals(SecureKey.fromBytes(raw).psk(), SecureKey.parse(url).psk());
  }

  @Test
  void surroundingWhitespaceIsIgnored() {
    assertArrayEquals(SecureKey.fromBytes(RAW).psk(), SecureKey.parse("  " + HEX.formatHex(RAW) + "\r\n").psk());
  }

  @Test
  void keyShorterThan32BytesIsRefusedWithoutShowingIt() {
    String shortKey = "00112233445566778899aabbccddeeff";
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SecureKey.parse(shortKey));
    assertTrue(e.getMessage().contains("32"));
    assertFalse(e.getMessage().contains(shortKey));
  }

  @Test
  void textThatIsNeitherHexNorBase64IsRefusedWithoutShowingIt() {
    String bad = "this is not a key!! at all, not even close to one";
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SecureKey.parse(bad));
    assertFalse(e.getMessage().contains("close"));
  }

  @Test
  void mixedBase64AlphabetsAreRefused() {
    String mixed = Base64.getEncoder().encodeToString(new byte[48]).replaceFirst("A", "+").replaceFirst("A", "-");
    assertThrows(IllegalArgumentException.class, () -> SecureKey.parse(mixed));
  }

  @Test
  void emptyKeyPointsToTheExplicitNoneOptIn() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SecureKey.parse("   "));
    assertTrue(e.getMessage().contains("SecureKey.none()"));
  }

  @Test
  void toStringShowsTheKeyIdAndNoKeyMaterial() {
    SecureKey key = SecureKey.fromBytes(RAW).withKeyId(4);
    assertEquals("SecureKey[keyId=4]", key.toString());
    assertFalse(key.toString().contains(HEX.formatHex(key.psk()).substring(0, 8)));
  }

  @Test
  void differentKeysGiveDifferentPsks() {
    byte[] other = RAW.clone();
    other[0] ^= 1;
    assertFalse(java.util.Arrays.equals(SecureKey.fromBytes(RAW).psk(), SecureKey.fromBytes(other).psk()));
  }

  @Test
  void keyIdDoesNotChangeTheDerivedKeys() {
    SecureKey key = SecureKey.fromBytes(RAW);
    assertArrayEquals(key.psk(), key.withKeyId(200).psk());
    assertEquals(200, key.withKeyId(200).keyId());
    assertEquals(0, key.keyId());
  }

  @Test
  void keyIdOutsideZeroTo255IsRefused() {
    SecureKey key = SecureKey.fromBytes(RAW);
    assertThrows(IllegalArgumentException.class, () -> key.withKeyId(256));
    assertThrows(IllegalArgumentException.class, () -> key.withKeyId(-1));
  }

  @Test
  void noneHasNoPsk() {
    SecureKey none = SecureKey.none();
    assertTrue(none.isNone());
    assertNull(none.psk());
    assertEquals("SecureKey[none]", none.toString());
    assertThrows(IllegalStateException.class, () -> none.withKeyId(1));
  }

  @Test
  void destroyZeroesThePsk() {
    SecureKey key = SecureKey.fromBytes(RAW);
    key.destroy();
    assertArrayEquals(new byte[32], key.psk());
  }

  @Test
  void passwordKeyIsDeterministicForOneSalt() {
    byte[] a = SecureKey.fromPasswordWithTestCost("correct horse".toCharArray(), SALT).psk();
    byte[] b = SecureKey.fromPasswordWithTestCost("correct horse".toCharArray(), SALT).psk();
    assertArrayEquals(a, b);
  }

  @Test
  void passwordKeyDependsOnTheDeploymentSalt() {
    byte[] otherSalt = SALT.clone();
    otherSalt[0] ^= 1;
    assertFalse(java.util.Arrays.equals(
        SecureKey.fromPasswordWithTestCost("correct horse".toCharArray(), SALT).psk(),
        SecureKey.fromPasswordWithTestCost("correct horse".toCharArray(), otherSalt).psk()));
  }

  @Test
  void shortDeploymentSaltIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> SecureKey.fromPassword("pw".toCharArray(), new byte[15]));
  }

  @Test
  void emptyPasswordIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> SecureKey.fromPassword(new char[0], SALT));
  }

  @Test
  void passwordWithAnUnpairedSurrogateIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> SecureKey.fromPasswordWithTestCost(new char[] {'a', '\ud800'}, SALT));
  }

  @Test
  void passwordKeysWithProductionParametersMatchTheDocumentsVector() throws Exception {
    Map<String, String> v = GoldenHandshakeVectorsTest.vector("securekey-password");
    SecureKey key = SecureKey.fromPassword(v.get("password").toCharArray(), HEX.parseHex(v.get("salt")));
    assertEquals(v.get("psk"), HEX.formatHex(key.psk()));
  }

  @Test
  void passwordKeysWithTheTestHookMatchTheDocumentsVector() throws Exception {
    Map<String, String> v = GoldenHandshakeVectorsTest.vector("securekey-password-test-cost");
    SecureKey key = SecureKey.fromPasswordWithTestCost(v.get("password").toCharArray(), HEX.parseHex(v.get("salt")));
    assertEquals(v.get("psk"), HEX.formatHex(key.psk()));
  }

  @Test
  void base64KeyMatchesTheDocumentsVector() throws Exception {
    Map<String, String> v = GoldenHandshakeVectorsTest.vector("securekey-base64");
    SecureKey key = SecureKey.parse(v.get("text"));
    assertEquals(v.get("psk"), HEX.formatHex(key.psk()));
  }
}
