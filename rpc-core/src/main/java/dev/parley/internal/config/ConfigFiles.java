package dev.parley.internal.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.parley.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a config file for {@link ConfigSource}: YAML ({@code .yml}, {@code .yaml}; a flat mapping of
 * keys to single values) or properties ({@code .properties}, UTF-8), at most 1 MiB, each key once;
 * and names unknown keys with the nearest allowed one. Messages name the file and the key, never a
 * value (a line of a config file may hold a secret).
 */
final class ConfigFiles {
  /** A config file holds a few short keys; anything larger is not one. */
  static final int MAX_BYTES = 1 << 20;

  private ConfigFiles() {}

  /** The file's keys and their text (null for a YAML null), in file order. */
  static Map<String, String> read(Path path, String where) {
    String name = String.valueOf(path.getFileName()).toLowerCase(Locale.ROOT);
    boolean yaml = name.endsWith(".yml") || name.endsWith(".yaml");
    if (!yaml && !name.endsWith(".properties")) {
      throw fileProblem(where, "config file " + path
          + " has an unknown type; name it .yml, .yaml (YAML) or .properties", null);
    }
    if (Files.isDirectory(path)) {
      throw fileProblem(where, "config file " + path + " is a folder, not a file", null);
    }
    if (!Files.exists(path)) {
      throw fileProblem(where, "config file " + path + " does not exist", null);
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(path)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (IOException e) {
      throw fileProblem(where, "config file " + path + " cannot be read (" + e + ")", e);
    }
    if (bytes.length > MAX_BYTES) {
      throw fileProblem(where, "config file " + path + " is larger than 1 MiB; it should hold a few"
          + " settings", null);
    }
    return yaml ? readYaml(bytes, path, where) : readProperties(bytes, path, where);
  }


  private static Map<String, String> readYaml(byte[] bytes, Path path, String where) {
    Map<String, String> raw = new LinkedHashMap<>();
    try (JsonParser p = new YAMLFactory().createParser(bytes)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        return raw; // an empty file: no settings
      }
      if (t != JsonToken.START_OBJECT) {
        throw fileProblem(where, "config file " + path + " must be a YAML mapping of settings"
            + " (lines such as \"encryptionKey: 32\"), but it is a " + describe(t), null);
      }
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        JsonToken v = p.nextToken();
        if (raw.containsKey(key)) {
          throw duplicate(key, path, where);
        }
        if (v == JsonToken.START_ARRAY && ConfigKeys.SECURE_KEYS.equals(key)) {
          raw.put(key, keyList(p, where));
          continue;
        }
        if (v == JsonToken.START_ARRAY && ConfigKeys.LISTS.contains(key)) {
          raw.put(key, scalarList(key, p, where));
          continue;
        }
        if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
          String shown = Shown.keyName(key);
          throw new ConfigException(shown.equals(key) ? key : null, where, shown + " in " + where
              + ": expected a single value (keys are flat, e.g. \"" + (shown.equals(key) ? key : "key")
              + ": value\"), got a " + describe(v), null);
        }
        // YAML null (~ or nothing) means "not set"; other scalars keep their text as written,
        // so a hex key with leading zeros or an "e" is not read as a number.
        raw.put(key, v == JsonToken.VALUE_NULL ? null : p.getText());
      }
      if (p.nextToken() != null) {
        throw fileProblem(where, "config file " + path + " holds more than one YAML document;"
            + " keep one", null);
      }
      return raw;
    } catch (JsonProcessingException e) {
      // Not e.getMessage(): YAML errors quote the offending line, which may hold a secret.
      JsonLocation at = e.getLocation();
      String position = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw fileProblem(where, "config file " + path + " is not valid YAML" + position, null);
    } catch (IOException e) {
      throw fileProblem(where, "config file " + path + " cannot be read (" + e + ")", e);
    }
  }

  /**
   * The YAML list of {@code secureKeys} ({@code - id: 1} / {@code file: calc-1.key} entries) as the
   * flat text every other source uses: {@code 1:calc-1.key} entries, one per line.
   */
  private static String keyList(JsonParser p, String where) throws IOException {
    String key = ConfigKeys.SECURE_KEYS;
    StringBuilder text = new StringBuilder();
    int entry = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      entry++;
      String form = ": expected a mapping with an id and a file (\"- id: 1\" and \"  file: calc-1.key\")";
      if (t != JsonToken.START_OBJECT) {
        throw new ConfigException(key, where, key + " in " + where + ", entry " + entry + form + ", got a "
            + describe(t), null);
      }
      String id = null;
      String file = null;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        boolean scalar = v != JsonToken.START_OBJECT && v != JsonToken.START_ARRAY && v != JsonToken.VALUE_NULL;
        if (field.equals("id") && scalar && id == null) {
          id = p.getText().strip();
        } else if (field.equals("file") && scalar && file == null) {
          file = p.getText().strip();
        } else {
          throw new ConfigException(key, where, key + " in " + where + ", entry " + entry + form
              + "; " + Shown.keyName(field) + " is not allowed there (or is given twice or empty)", null);
        }
      }
      if (id == null || file == null || file.isEmpty()) {
        throw new ConfigException(key, where, key + " in " + where + ", entry " + entry + form, null);
      }
      if (file.indexOf(',') >= 0 || file.indexOf('\n') >= 0) {
        throw new ConfigException(key, where, key + " in " + where + ", entry " + entry + ": a key file's name"
            + " must not contain a comma or a line break; rename the file", null);
      }
      text.append(text.length() == 0 ? "" : "\n").append(id).append(':').append(file);
    }
    return text.toString();
  }

  /** A YAML list of plain values ({@code tlsProtocols}, the CORS lists) as the comma-separated text of other sources. */
  private static String scalarList(String key, JsonParser p, String where) throws IOException {
    StringBuilder text = new StringBuilder();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY || t == JsonToken.VALUE_NULL
          || p.getText().indexOf(',') >= 0) {
        throw new ConfigException(key, where, key + " in " + where + ": expected a list of plain values without"
            + " commas (\"- TLSv1.3\"), got an entry that is a " + (t == JsonToken.VALUE_NULL ? "null"
            : t.isScalarValue() ? "value with a comma" : describe(t)), null);
      }
      text.append(text.length() == 0 ? "" : ",").append(p.getText().strip());
    }
    return text.toString();
  }

  private static Map<String, String> readProperties(byte[] bytes, Path path, String where) {
    String text;
    try {
      text = SecureKeyFile.utf8Text(bytes);
    } catch (CharacterCodingException e) {
      throw fileProblem(where, "config file " + path + " is not UTF-8 text", null);
    }
    Map<String, String> raw = new LinkedHashMap<>();
    List<String> duplicates = new ArrayList<>();
    @SuppressWarnings("serial")
    Properties properties = new Properties() {
      @Override
      public synchronized Object put(Object key, Object value) {
        if (raw.put((String) key, (String) value) != null) {
          duplicates.add((String) key);
        }
        return super.put(key, value);
      }
    };
    try {
      properties.load(new StringReader(text));
    } catch (IllegalArgumentException e) {
      // "Malformed \\uxxxx encoding.": names no content.
      throw fileProblem(where, "config file " + path + " is not a valid properties file ("
          + e.getMessage() + ")", null);
    } catch (IOException e) {
      throw new IllegalStateException("reading a string cannot fail", e);
    }
    if (!duplicates.isEmpty()) {
      throw duplicate(duplicates.get(0), path, where);
    }
    return raw;
  }

  private static String describe(JsonToken t) {
    switch (t) {
      case START_OBJECT: return "mapping (nested keys)";
      case START_ARRAY: return "list";
      default: return "single value";
    }
  }

  private static ConfigException duplicate(String key, Path path, String where) {
    String shown = Shown.keyName(key);
    return new ConfigException(shown.equals(key) ? key : null, where, shown + " appears twice in config file "
        + path + "; keep one", null);
  }

  static ConfigException unknownKeys(List<String> unknown, String where, Set<String> allowed) {
    StringBuilder message = new StringBuilder(unknown.size() == 1 ? "unknown key " : "unknown keys ");
    List<String> hints = new ArrayList<>();
    for (int i = 0; i < unknown.size(); i++) {
      String key = unknown.get(i);
      message.append(i == 0 ? "" : ", ").append(Shown.keyName(key));
      String suggestion = closest(key, allowed);
      Optional<String> elsewhere = Shown.keyName(key).equals(key) ? ConfigKeys.elsewhere(key, allowed) : Optional.empty();
      elsewhere.ifPresent(hints::add);
      if (suggestion != null && elsewhere.isEmpty()) {
        message.append(" (did you mean ").append(suggestion).append("?)");
      }
    }
    message.append(" in ").append(where);
    hints.forEach(hint -> message.append("; ").append(hint));
    message.append("; the allowed keys are ")
        .append(String.join(", ", new TreeSet<>(allowed)));
    String first = Shown.keyName(unknown.get(0));
    return new ConfigException(first.equals(unknown.get(0)) ? first : null, where, message.toString(), null);
  }

  /** The allowed key nearest to {@code key} (same letters ignoring case, or at most 2 edits). */
  private static String closest(String key, Set<String> allowed) {
    if (!Shown.keyName(key).equals(key)) {
      return null;
    }
    String best = null;
    int bestDistance = 3;
    for (String candidate : allowed) {
      int d = candidate.equalsIgnoreCase(key) ? 0 : distance(key, candidate);
      if (d < bestDistance || (d == bestDistance && best != null && candidate.compareTo(best) < 0)) {
        best = candidate;
        bestDistance = d;
      }
    }
    return bestDistance <= 2 ? best : null;
  }

  /** Levenshtein distance. */
  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  private static ConfigException fileProblem(String where, String message, Throwable cause) {
    return new ConfigException(null, where, message, cause);
  }

}
