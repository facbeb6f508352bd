package dev.parley.internal.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One setting's text and where it came from, for {@link ConfigSource}; {@link #toString()} hides the
 * text (it may be a secret).
 */
final class ConfigValue {
  private static final Pattern SHORT_DURATION =
      Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);

  private final String text;
  private final String source;
  private final Path baseDir;

  ConfigValue(String text, String source, Path baseDir) {
    this.text = text;
    this.source = source;
    this.baseDir = baseDir;
  }

  String text() {
    return text;
  }

  /** {@code file /etc/parley/server.yml} or {@code environment variable PARLEY_…}. */
  String source() {
    return source;
  }

  /** Folder relative paths resolve against; null for the working directory. */
  Path baseDir() {
    return baseDir;
  }

  /** A duration such as {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 1d} or ISO-8601; null if malformed. */
  static Duration parseDuration(String text) {
    Matcher m = SHORT_DURATION.matcher(text);
    try {
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        switch (m.group(2).toLowerCase(Locale.ROOT)) {
          case "ms": return Duration.ofMillis(n);
          case "s": return Duration.ofSeconds(n);
          case "m": return Duration.of(n, ChronoUnit.MINUTES);
          case "h": return Duration.of(n, ChronoUnit.HOURS);
          default: return Duration.ofDays(n);
        }
      }
      if (text.startsWith("P") || text.startsWith("p")) {
        return Duration.parse(text);
      }
    } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
      return null;
    }
    return null;
  }

  @Override
  public String toString() {
    return "Value[from " + source + "]";
  }
}
