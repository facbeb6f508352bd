package dev.parley.internal.config;

import dev.parley.ConfigException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One entry of {@code secureKeys}: a key id and the SecureKey text read from its file. The setting's
 * text is a list of {@code id:file} entries separated by commas or line breaks
 * ({@code 1:/run/secrets/calc-1.key, 2:calc-2.key}; a YAML list of {@code id}/{@code file} mappings
 * arrives in this form too). {@link #toString()} never shows the key.
 */
public final class KeyEntry {
  private static final Pattern ENTRY = Pattern.compile("(\\d{1,3})\\s*:\\s*(.+)");
  private static final String FORM = "entries such as 1:calc-1.key (a key id from 0 to 255, a colon and the key"
      + " file), separated by commas";

  private final int keyId;
  private final SecretText secret;

  private KeyEntry(int keyId, SecretText secret) {
    this.keyId = keyId;
    this.secret = Objects.requireNonNull(secret, "secret == null");
  }

  /** The key id (0..255) the entry gives its key (PROTOCOL.md §3.3). */
  public int keyId() {
    return keyId;
  }

  /** The key's text, read from the entry's file; its source names the file. */
  public SecretText secret() {
    return secret;
  }

  /**
   * Parses {@code text} from {@code source} and reads every key file; relative files resolve against
   * {@code baseDir} (null: the working directory).
   *
   * @throws ConfigException an entry is malformed, two entries share a key id, the list is empty, or
   *     a key file cannot be used; the message names {@code secureKeys} and the source, never a key
   */
  static List<KeyEntry> parse(String text, String source, Path baseDir) {
    String key = ConfigKeys.SECURE_KEYS;
    List<KeyEntry> entries = new ArrayList<>();
    Set<Integer> ids = new HashSet<>();
    for (String part : text.split("[,\\n]")) {
      String entry = part.strip();
      if (entry.isEmpty()) {
        continue;
      }
      Matcher m = ENTRY.matcher(entry);
      int id = m.matches() ? Integer.parseInt(m.group(1)) : -1;
      if (id < 0 || id > 255) {
        throw new ConfigException(key, source, key + " in " + source + ": expected " + FORM + ", got "
            + Shown.value(entry), null);
      }
      if (!ids.add(id)) {
        throw new ConfigException(key, source, key + " in " + source + ": two entries have key id " + id
            + "; give each key its own id", null);
      }
      Path file;
      try {
        file = Path.of(m.group(2).strip());
      } catch (InvalidPathException e) {
        throw new ConfigException(key, source, key + " in " + source + ": the file of key id " + id
            + " is not a valid path", null);
      }
      Path resolved = file.isAbsolute() || baseDir == null ? file.toAbsolutePath() : baseDir.resolve(file);
      entries.add(new KeyEntry(id, SecureKeyFile.read(resolved.normalize(), key, source)));
    }
    if (entries.isEmpty()) {
      throw new ConfigException(key, source, key + " in " + source + ": expected " + FORM + ", got none", null);
    }
    return List.copyOf(entries);
  }

  @Override
  public String toString() {
    return "KeyEntry[id " + keyId + " from " + secret.source() + ", not shown]";
  }
}
