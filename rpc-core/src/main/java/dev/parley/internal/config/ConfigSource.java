package dev.parley.internal.config;

import dev.parley.Compression;
import dev.parley.ConfigException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings of one server or client module, read from a config file and overlaid with
 * environment overrides, as strings that remember where they came from; typed getters check and
 * convert them with messages that name the key, the source and the form expected.
 *
 * <p>Sources, later ones winning:
 * <ol>
 *   <li>a file: YAML ({@code .yml}, {@code .yaml}; a flat mapping of keys to single values) or
 *       properties ({@code .properties}, read as UTF-8); or a map ({@link #of});
 *   <li>environment variables {@code PARLEY_<KEY_IN_UPPER_SNAKE_CASE>} ({@link ConfigKeys#envName})
 *       for the allowed keys. {@code secureKey} and {@code secureKeyFile} are one setting: an
 *       environment variable for either replaces both file values.
 * </ol>
 * An empty value (blank, or YAML {@code ~}/nothing) counts as not set, in the file and in the
 * environment. A key the caller does not allow is an error in a file (typos must not silently do
 * nothing); environment variables are only looked up for allowed keys, so unrelated
 * {@code PARLEY_*} variables are ignored.
 *
 * <p>How a builder uses it ({@code ServerModule.fromConfig}):
 * <pre>{@code
 * ConfigSource config = ConfigSource.load(file, ConfigKeys.SERVER);
 * Builder b = builder(config.string(ConfigKeys.PATH).orElseThrow(() -> config.missing(ConfigKeys.PATH, "a path such as /calc")));
 * config.encryptionKey().ifPresent(b::encryptionKey);
 * config.bool(ConfigKeys.FORCE_ENCRYPTION).ifPresent(b::forceEncryption);
 * config.duration(ConfigKeys.AUTO_SESSIONS_LIVE).ifPresent(b::autoSessionsLive);
 * config.secureKey().ifPresent(secret -> {
 *   secret.warning().ifPresent(LOG::warn);
 *   try {
 *     b.secureKey(SecureKey.parse(secret.text()));
 *   } catch (IllegalArgumentException e) {            // its message never shows the key
 *     throw secret.invalid("a hex or base64 key of 32 to 1024 bytes", e);
 *   }
 * });
 * }</pre>
 *
 * <p>Every getter throws {@link ConfigException} for a malformed value; a secret key's value
 * ({@link ConfigKeys#SECRET}) never appears in a message. Getters throw
 * {@link IllegalArgumentException} for a key outside the allowed set (a programming error).
 * Instances are immutable and thread-safe.
 */
public final class ConfigSource {
  /** A config file holds a few short keys; anything larger is not one. */
  static final int MAX_FILE_BYTES = ConfigFiles.MAX_BYTES;

  private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+(_\\d+)*");
  private static final Pattern SHORT_DURATION =
      Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);
  private static final String DURATION_FORM = "a duration such as 500ms, 30s, 10m, 2h, 1d or PT30S";

  private final Map<String, Value> values;
  private final Set<String> allowed;
  private final String description;

  private ConfigSource(Map<String, Value> values, Set<String> allowed, String description) {
    this.values = values;
    this.allowed = allowed;
    this.description = description;
  }

  /** {@link #load(Path, Set, Map)} with the process environment. */
  public static ConfigSource load(Path file, Set<String> allowedKeys) {
    return load(file, allowedKeys, System.getenv());
  }

  /**
   * Reads {@code file} (by its extension: {@code .yml}, {@code .yaml} or {@code .properties}) and
   * overlays the environment overrides found in {@code env}.
   *
   * @param allowedKeys the keys the file may hold, e.g. {@link ConfigKeys#SERVER}
   * @param env the environment ({@code System.getenv()}; a map in tests)
   * @throws ConfigException the file is missing, unreadable, larger than 1 MiB, not valid YAML
   *     or properties, nested, holds a key twice or an unknown key
   */
  public static ConfigSource load(Path file, Set<String> allowedKeys, Map<String, String> env) {
    Objects.requireNonNull(file, "file == null");
    Path path = file.toAbsolutePath().normalize();
    String where = "file " + path;
    Map<String, String> raw = ConfigFiles.read(path, where);
    return build(raw, where, path.getParent(), allowedKeys, env);
  }

  /**
   * Settings from a map (programmatic use and tests) with environment overrides from
   * {@code env}. Relative paths resolve against the working directory.
   */
  public static ConfigSource of(Map<String, String> settings, Set<String> allowedKeys,
      Map<String, String> env) {
    Objects.requireNonNull(settings, "settings == null");
    Map<String, String> raw = new LinkedHashMap<>();
    settings.forEach((k, v) -> raw.put(Objects.requireNonNull(k, "key == null"), v));
    return build(raw, "settings map", null, allowedKeys, env);
  }

  private static ConfigSource build(Map<String, String> raw, String where, Path baseDir,
      Set<String> allowedKeys, Map<String, String> env) {
    Set<String> allowed = Set.copyOf(Objects.requireNonNull(allowedKeys, "allowedKeys == null"));
    Objects.requireNonNull(env, "env == null");
    List<String> unknown = new ArrayList<>();
    for (String key : raw.keySet()) {
      if (!allowed.contains(key)) {
        unknown.add(key);
      }
    }
    if (!unknown.isEmpty()) {
      throw ConfigFiles.unknownKeys(unknown, where, allowed);
    }
    Map<String, Value> values = new LinkedHashMap<>();
    raw.forEach((key, text) -> {
      if (text != null && !text.isBlank()) {
        values.put(key, new Value(text.strip(), where, baseDir));
      }
    });
    Map<String, Value> fromEnv = new LinkedHashMap<>();
    for (String key : allowed) {
      String envName = ConfigKeys.envName(key);
      String text = env.get(envName);
      if (text != null && !text.isBlank()) {
        fromEnv.put(key, new Value(text.strip(), "environment variable " + envName, null));
      }
    }
    if (fromEnv.containsKey(ConfigKeys.SECURE_KEY) || fromEnv.containsKey(ConfigKeys.SECURE_KEY_FILE)) {
      values.remove(ConfigKeys.SECURE_KEY);
      values.remove(ConfigKeys.SECURE_KEY_FILE);
    }
    values.putAll(fromEnv);
    return new ConfigSource(Collections.unmodifiableMap(values), allowed, where);
  }

  /** Where the settings were read from: {@code file /etc/parley/server.yml} or {@code settings map}. */
  public String description() {
    return description;
  }

  /** The keys that have a (non-empty) value, from the file or the environment. */
  public Set<String> keys() {
    return Collections.unmodifiableSet(values.keySet());
  }

  /** Whether {@code key} has a value. */
  public boolean has(String key) {
    return values.containsKey(checkAllowed(key));
  }

  /** Where {@code key}'s value came from ({@code file …} or {@code environment variable …}). */
  public Optional<String> source(String key) {
    return Optional.ofNullable(values.get(checkAllowed(key))).map(Value::source);
  }

  /** The value as text, trimmed. For {@code secureKey} prefer {@link #secureKey()}. */
  public Optional<String> string(String key) {
    return Optional.ofNullable(values.get(checkAllowed(key))).map(Value::text);
  }

  /**
   * A whole number from {@code min} to {@code max}; digits may be grouped with {@code _}
   * ({@code 100_000}).
   */
  public Optional<Integer> integer(String key, int min, int max) {
    return longValue(key, min, max, "an integer from " + min + " to " + max).map(Long::intValue);
  }

  /** A whole number from {@code min} to {@code max} ({@code Long.MAX_VALUE} for no upper limit). */
  public Optional<Long> longValue(String key, long min, long max) {
    String form = max == Long.MAX_VALUE ? "a whole number of at least " + min
        : "a whole number from " + min + " to " + max;
    return longValue(key, min, max, form);
  }

  /**
   * {@link ConfigKeys#ENCRYPTION_KEY}: 0 (this side does not encrypt) or
   * {@value ConfigKeys#MIN_ENCRYPTION_KEY} to {@value ConfigKeys#MAX_ENCRYPTION_KEY}.
   */
  public Optional<Integer> encryptionKey() {
    String key = ConfigKeys.ENCRYPTION_KEY;
    String form = "an integer from " + ConfigKeys.MIN_ENCRYPTION_KEY + " to "
        + ConfigKeys.MAX_ENCRYPTION_KEY + " (or 0 to disable)";
    Optional<Long> n = longValue(key, 0, ConfigKeys.MAX_ENCRYPTION_KEY, form);
    if (n.isPresent() && n.get() != 0 && n.get() < ConfigKeys.MIN_ENCRYPTION_KEY) {
      throw invalid(key, form);
    }
    return n.map(Long::intValue);
  }

  /** {@code true}/{@code false}, also {@code yes}/{@code no} and {@code on}/{@code off}, any case. */
  public Optional<Boolean> bool(String key) {
    return parse(key, "true or false (or yes/no, on/off)", text -> {
      switch (text.toLowerCase(Locale.ROOT)) {
        case "true": case "yes": case "on":
          return Boolean.TRUE;
        case "false": case "no": case "off":
          return Boolean.FALSE;
        default:
          return null;
      }
    });
  }

  /**
   * A positive duration: ISO-8601 ({@code PT30S}, {@code P1D}) or a number and a unit
   * ({@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 1d}).
   */
  public Optional<Duration> duration(String key) {
    return parse(key, "a positive " + DURATION_FORM.substring(2), text -> {
      Duration d = parseDuration(text);
      return d == null || d.isNegative() || d.isZero() ? null : d;
    });
  }

  /** Like {@link #duration} but zero ({@code 0}, {@code 0s}) is allowed: a timeout, 0 = no limit. */
  public Optional<Duration> timeout(String key) {
    return parse(key, DURATION_FORM + " (0 for no limit)", text -> {
      Duration d = text.equals("0") ? Duration.ZERO : parseDuration(text);
      return d == null || d.isNegative() ? null : d;
    });
  }

  /**
   * A file path. A relative path from a file resolves against that file's folder; one from an
   * environment variable (or a map) against the working directory.
   */
  public Optional<Path> path(String key) {
    Value value = values.get(checkAllowed(key));
    if (value == null) {
      return Optional.empty();
    }
    Path path = parse(key, "a file path", text -> {
      try {
        return Path.of(text);
      } catch (InvalidPathException e) {
        return null;
      }
    }).orElseThrow();
    Path resolved = path.isAbsolute() || value.baseDir() == null ? path.toAbsolutePath()
        : value.baseDir().resolve(path);
    return Optional.of(resolved.normalize());
  }

  /** {@code none}, {@code fast}, {@code default} or {@code max}, any case. */
  public Optional<Compression> compression(String key) {
    return parse(key, "one of none, fast, default or max", text -> {
      try {
        return Compression.parse(text);
      } catch (IllegalArgumentException e) {
        return null;
      }
    });
  }

  /**
   * The SecureKey text from {@code secureKey} or, read by {@link SecureKeyFile}, from the file
   * named by {@code secureKeyFile}; empty when neither is set.
   *
   * @throws ConfigException both are set in the same place (the file, or the environment), or
   *     the key file cannot be used
   */
  public Optional<SecretText> secureKey() {
    Value inline = values.get(checkAllowed(ConfigKeys.SECURE_KEY));
    Value file = values.get(checkAllowed(ConfigKeys.SECURE_KEY_FILE));
    if (inline != null && file != null) {
      String both = inline.source().equals(file.source()) ? inline.source()
          : inline.source() + " and " + file.source();
      throw new ConfigException(ConfigKeys.SECURE_KEY, inline.source(), "secureKey and secureKeyFile are"
          + " both set (in " + both + "); set only one of them", null);
    }
    if (inline != null) {
      return Optional.of(new SecretText(inline.text(), ConfigKeys.SECURE_KEY, inline.source(), null));
    }
    if (file != null) {
      Path path = path(ConfigKeys.SECURE_KEY_FILE).orElseThrow();
      return Optional.of(SecureKeyFile.read(path, ConfigKeys.SECURE_KEY_FILE, file.source()));
    }
    return Optional.empty();
  }

  /**
   * The exception for a value of {@code key} that does not have the form {@code expected}, for
   * checks the caller makes itself. The value is shown unless the key is secret.
   */
  public ConfigException invalid(String key, String expected) {
    return invalid(key, expected, null);
  }

  /** {@link #invalid(String, String)} with a cause (whose message must not hold a secret). */
  public ConfigException invalid(String key, String expected, Throwable cause) {
    Value value = values.get(checkAllowed(key));
    if (value == null) {
      throw new IllegalArgumentException(key + " has no value in " + description);
    }
    String got = ConfigKeys.isSecret(key)
        ? "a value that does not match (not shown: " + key + " is secret)"
        : Shown.value(value.text());
    return new ConfigException(key, value.source(), key + " in " + value.source() + ": expected "
        + expected + ", got " + got, cause);
  }

  /** The exception for a required {@code key} that has no value. */
  public ConfigException missing(String key, String expected) {
    checkAllowed(key);
    return new ConfigException(key, description, key + " is missing in " + description + " (and no "
        + ConfigKeys.envName(key) + " environment variable is set); expected " + expected, null);
  }

  @Override
  public String toString() {
    return "ConfigSource[" + description + ", keys " + values.keySet() + "]";
  }

  private Optional<Long> longValue(String key, long min, long max, String form) {
    return parse(key, form, text -> {
      if (!INTEGER.matcher(text).matches()) {
        return null;
      }
      try {
        long n = Long.parseLong(text.replace("_", ""));
        return n < min || n > max ? null : n;
      } catch (NumberFormatException e) {
        return null; // out of long's range
      }
    });
  }

  /** Converts with {@code parser}, which returns null for a malformed value. */
  private <T> Optional<T> parse(String key, String form, Function<String, T> parser) {
    Value value = values.get(checkAllowed(key));
    if (value == null) {
      return Optional.empty();
    }
    T result = parser.apply(value.text());
    if (result == null) {
      throw invalid(key, form);
    }
    return Optional.of(result);
  }

  private String checkAllowed(String key) {
    if (!allowed.contains(Objects.requireNonNull(key, "key == null"))) {
      throw new IllegalArgumentException("key " + key + " is not among the allowed keys " + allowed);
    }
    return key;
  }

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

  /** One setting's text and where it came from; toString hides the text. */
  private static final class Value {
    private final String text;
    private final String source;
    private final Path baseDir;

    Value(String text, String source, Path baseDir) {
      this.text = text;
      this.source = source;
      this.baseDir = baseDir;
    }

    String text() {
      return text;
    }

    String source() {
      return source;
    }

    /** Folder relative paths resolve against; null for the working directory. */
    Path baseDir() {
      return baseDir;
    }

    @Override
    public String toString() {
      return "Value[from " + source + "]";
    }
  }
}
