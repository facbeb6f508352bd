package dev.parley.cli.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --timeout}: the duration syntax of the config files (docs/CONFIG.md, "Value syntax"): a
 * whole number and a unit ({@code ms}, {@code s}, {@code m}, {@code h}, {@code d}), ISO-8601
 * ({@code PT30S}), or {@code 0} for no limit. A number without a unit is refused, not guessed.
 */
final class DurationConverter implements ITypeConverter<Duration> {
  private static final Pattern WITH_UNIT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  @Override
  public Duration convert(String value) {
    String text = value.strip().toLowerCase(Locale.ROOT);
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = WITH_UNIT.matcher(text);
    try {
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      }
      if (text.startsWith("p")) {
        Duration d = Duration.parse(text.toUpperCase(Locale.ROOT));
        if (!d.isNegative()) {
          return d;
        }
      }
    } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
      // refused below
    }
    throw new TypeConversionException("expected a duration such as 500ms, 30s, 10m, 2h, 1d or PT30S"
        + " (0 for no limit), got '" + value + "'");
  }
}
