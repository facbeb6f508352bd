package dev.parley.internal.config;

import java.nio.file.Path;

/**
 * How values appear in messages. A secret is never shown; and because people do paste a key into
 * the wrong setting (a key as {@code secureKeyFile}, a properties line with only the key on it),
 * anything that looks like a key is withheld as well.
 */
final class Shown {
  private static final int MAX_SHOWN = 80;
  private static final int MAX_KEY_NAME = 40;

  private Shown() {}

  /** {@code "text"} with control characters escaped, or a description when it looks like a key. */
  static String value(String text) {
    if (looksLikeKey(text)) {
      return "a " + text.length() + "-character value that looks like a key (not shown)";
    }
    StringBuilder out = new StringBuilder("\"");
    int end = Math.min(text.length(), MAX_SHOWN);
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      if (c < ' ' || c == 0x7f) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (end < text.length()) {
      out.append("…");
    }
    return out.append('"').toString();
  }

  /** A key name from a file, or a description when it is not a plausible setting name. */
  static String keyName(String name) {
    boolean plausible = !name.isEmpty() && name.length() <= MAX_KEY_NAME && !looksLikeKey(name)
        && Character.isLetter(name.charAt(0));
    for (int i = 0; plausible && i < name.length(); i++) {
      char c = name.charAt(i);
      plausible = c < 0x7f && (Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.');
    }
    return plausible ? name : "(a " + name.length() + "-character name that is not a setting, not shown)";
  }

  /** A path, withholding a file name that looks like a key. */
  static String path(Path path) {
    Path name = path.getFileName();
    if (name != null && looksLikeKey(name.toString())) {
      Path parent = path.getParent();
      String hidden = "(a " + name.toString().length() + "-character name that looks like a key, not shown)";
      return parent == null ? hidden : parent + path.getFileSystem().getSeparator() + hidden;
    }
    return path.toString();
  }

  /**
   * At least 32 characters of the hex/base64 alphabets only, no dot and not an absolute path: the
   * shape of a SecureKey (32 bytes are 64 hex or 43 base64 characters).
   */
  static boolean looksLikeKey(String text) {
    if (text.length() < 32 || text.startsWith("/")) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean keyChar = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
          || c == '+' || c == '/' || c == '=' || c == '-' || c == '_';
      if (!keyChar) {
        return false;
      }
    }
    return true;
  }
}
