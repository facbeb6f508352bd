package dev.parley.server;

import java.security.SecureRandom;
import java.util.Base64;

/** Session ids: 128 random bits from {@link SecureRandom}, base64url without padding (22 chars). */
final class SessionIds {
  static final int LENGTH = 22;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private SessionIds() {}

  static String next() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return ENCODER.encodeToString(bytes);
  }

  /** True when {@code id} has the shape of an id this server issues (checked before any lookup). */
  static boolean wellFormed(String id) {
    if (id == null || id.length() != LENGTH) {
      return false;
    }
    for (int i = 0; i < LENGTH; i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** The first few characters only: enough to correlate log lines, too few to hijack a session. */
  static String redact(String id) {
    return id == null ? "null" : id.substring(0, Math.min(6, id.length())) + "…";
  }
}
