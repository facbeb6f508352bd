package dev.parley.internal.config;

import dev.parley.ConfigException;
import java.util.Objects;
import java.util.Optional;

/**
 * A secret read from configuration (the SecureKey text) together with where it came from, for
 * messages that must name the source without showing the secret. {@link #toString()} never shows
 * the text. Callers pass {@link #text()} to {@code SecureKey.parse} and drop this object.
 */
public final class SecretText {
  private final String text;
  private final String key;
  private final String source;
  private final String warning;

  SecretText(String text, String key, String source, String warning) {
    this.text = Objects.requireNonNull(text, "text == null");
    this.key = Objects.requireNonNull(key, "key == null");
    this.source = Objects.requireNonNull(source, "source == null");
    this.warning = warning;
  }

  /** The secret, trimmed, never empty. Do not log, print or put it in a message. */
  public String text() {
    return text;
  }

  /** The setting it came from: {@code secureKey} or {@code secureKeyFile}. */
  public String key() {
    return key;
  }

  /**
   * Where it came from, for messages: {@code file /etc/parley/server.yml},
   * {@code environment variable PARLEY_SECURE_KEY} or {@code key file /etc/parley/server.key}.
   */
  public String source() {
    return source;
  }

  /**
   * A warning to log (rpc-core has no logger), present when a key file can be read by other users
   * of the machine (POSIX group or others read permission). It contains the path, never the key.
   */
  public Optional<String> warning() {
    return Optional.ofNullable(warning);
  }

  /** Builds the exception to throw when the text is not a valid key (the message hides it). */
  public ConfigException invalid(String expected, Throwable cause) {
    return new ConfigException(key, source, key + " in " + source + ": expected " + expected
        + ", got a value that does not match (not shown: the key is secret)", cause);
  }

  @Override
  public String toString() {
    return "SecretText[" + key + " from " + source + ", not shown]";
  }
}
