package dev.parley.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A call's params, from the words after the function name, in one of three forms:
 *
 * <ul>
 *   <li>one JSON object (by name) or array (by position): {@code '{"a":1,"b":2}'}, {@code '[1,2]'};
 *   <li>{@code -}: that JSON read from standard input;
 *   <li>{@code name=value} words: the value is JSON when it parses as JSON ({@code a=1},
 *       {@code ok=true}, {@code xs=[1,2]}, {@code s='"007"'}), otherwise the text as a string
 *       ({@code name=Ada}); {@code name:=json} insists on JSON and refuses anything else.
 * </ul>
 *
 * <p>No words: no params (the {@code params} member is left out). The result is what
 * {@code ClientModule.call} takes: a {@code Map} of JSON values, a {@code List} of them, or null.
 */
final class Params {
  private Params() {}

  /**
   * Reads the params from {@code words} (and {@code stdin} for {@code -}).
   *
   * @throws CliUsage the words are none of the forms above, or their JSON is malformed
   */
  static Object parse(List<String> words, InputStream stdin) {
    if (words.isEmpty()) {
      return null;
    }
    if (words.size() == 1 && words.get(0).equals("-")) {
      return structured("the params on standard input", Json.parse("the params on standard input", read(stdin)));
    }
    if (words.size() == 1 && looksLikeJson(words.get(0))) {
      return structured("the params", Json.parse("the params", words.get(0)));
    }
    Map<String, JsonNode> named = new LinkedHashMap<>();
    for (String word : words) {
      if (looksLikeJson(word) || word.equals("-")) {
        throw new CliUsage("give the params either as one JSON object or array, as '-' (JSON on standard"
            + " input), or as name=value words, not mixed: '" + word + "'");
      }
      int eq = word.indexOf('=');
      if (eq < 0) {
        throw new CliUsage("'" + word + "' is not a param: write name=value (or name:=json), one JSON"
            + " object or array, or '-' to read JSON from standard input");
      }
      boolean rawJson = eq > 0 && word.charAt(eq - 1) == ':';
      String name = word.substring(0, rawJson ? eq - 1 : eq);
      String value = word.substring(eq + 1);
      if (name.isEmpty()) {
        throw new CliUsage("'" + word + "' has no name before '" + (rawJson ? ":=" : "=") + "'");
      }
      JsonNode node = rawJson
          ? Json.parse("the value of " + name, value)
          : Json.tryParse(value).orElseGet(() -> Json.MAPPER.getNodeFactory().textNode(value));
      if (named.putIfAbsent(name, node) != null) {
        throw new CliUsage("the param " + name + " is given twice");
      }
    }
    return named;
  }

  /** A JSON object as a map (by name), an array as a list (by position); anything else is refused. */
  static Object structured(String what, JsonNode node) {
    if (node.isObject()) {
      Map<String, JsonNode> named = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        named.put(field.getKey(), field.getValue());
      }
      return named;
    }
    if (node.isArray()) {
      List<JsonNode> positional = new ArrayList<>(node.size());
      node.forEach(positional::add);
      return positional;
    }
    throw new CliUsage(what + " must be a JSON object (params by name) or array (by position), not "
        + kind(node) + "; for one param by name write name=value");
  }

  /** The params as one JSON value, for the wire log: an object, an array, or null. */
  static JsonNode asJson(Object params) {
    return Json.MAPPER.valueToTree(params);
  }

  private static boolean looksLikeJson(String word) {
    String s = word.stripLeading();
    return s.startsWith("{") || s.startsWith("[");
  }

  private static String read(InputStream stdin) {
    try {
      return new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliFailure("cannot read the params from standard input: " + e.getMessage());
    }
  }

  private static String kind(JsonNode node) {
    if (node.isTextual()) {
      return "a string";
    }
    if (node.isNumber()) {
      return "a number";
    }
    if (node.isBoolean()) {
      return "a boolean";
    }
    return "null";
  }
}
