package dev.parley;

import java.util.Locale;
import java.util.Objects;

/**
 * How much a module or client compresses the bodies it sends. The same four names are used by the
 * builder method {@code compression(...)}, the config-file key {@code compression} and the
 * environment variable {@code PARLEY_COMPRESSION}.
 *
 * <p>Encrypted bodies are compressed inside the sealed plaintext (raw DEFLATE); plain bodies use
 * HTTP {@code Content-Encoding: gzip}. Bodies under 256 bytes are never compressed, and a receiver
 * always accepts both compressed and uncompressed bodies whatever its own setting.
 *
 * <pre>{@code
 * ServerModule.builder("/calc").compression(Compression.FAST)...
 * Compression c = Compression.parse("max");   // Compression.MAX, deflaterLevel() == 9
 * }</pre>
 */
public enum Compression {
  /** Send bodies uncompressed (the default). */
  NONE(0),
  /** {@link java.util.zip.Deflater} level 1: fastest, least compression. */
  FAST(1),
  /** {@link java.util.zip.Deflater} level 6: zlib's default balance. */
  DEFAULT(6),
  /** {@link java.util.zip.Deflater} level 9: smallest bodies, most CPU. */
  MAX(9);

  private final int deflaterLevel;

  Compression(int deflaterLevel) {
    this.deflaterLevel = deflaterLevel;
  }

  /** The {@link java.util.zip.Deflater} level: 0 for {@link #NONE}, then 1, 6 and 9. */
  public int deflaterLevel() {
    return deflaterLevel;
  }

  /** The name used in config files and environment variables: {@code none}, {@code fast}, … */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Reads one of {@code none}, {@code fast}, {@code default}, {@code max}, ignoring case and
   * surrounding whitespace.
   *
   * @throws IllegalArgumentException for any other text; the message lists the four names
   */
  public static Compression parse(String text) {
    Objects.requireNonNull(text, "text == null");
    String name = text.strip().toLowerCase(Locale.ROOT);
    for (Compression c : values()) {
      if (c.configName().equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "compression must be one of none, fast, default or max, got \"" + text + "\"");
  }
}
