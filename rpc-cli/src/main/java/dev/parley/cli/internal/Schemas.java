package dev.parley.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON Schemas of an OpenRPC document (as rpc-codegen writes them, docs/CODEGEN.md "Type
 * support") in a short form for a table: {@code int32}, {@code string(date-time)},
 * {@code array<Entry>}, {@code map<string, int64>}, {@code {name: string, age?: int32}},
 * {@code "RED" | "GREEN"}. A schema this does not know is shown as compact JSON.
 */
final class Schemas {
  private static final String REF_PREFIX = "#/components/schemas/";

  private Schemas() {}

  /** The short form of {@code schema}; a missing schema is {@code any}. */
  static String text(JsonNode schema) {
    if (schema == null || schema.isMissingNode() || schema.isNull()) {
      return "any";
    }
    if (schema.isBoolean()) {
      return schema.asBoolean() ? "any" : "nothing";
    }
    if (!schema.isObject()) {
      return Json.compact(schema);
    }
    if (schema.has("$ref")) {
      return refName(schema.get("$ref").asText());
    }
    if (schema.has("enum")) {
      List<String> values = new ArrayList<>();
      schema.get("enum").forEach(v -> values.add(Json.compact(v)));
      return String.join(" | ", values);
    }
    for (String union : List.of("oneOf", "anyOf")) {
      if (schema.has(union) && schema.get(union).isArray()) {
        List<String> options = new ArrayList<>();
        schema.get(union).forEach(s -> options.add(text(s)));
        return String.join(" | ", options);
      }
    }
    JsonNode type = schema.get("type");
    if (type == null) {
      return schema.isEmpty() || onlyAnnotations(schema) ? "any" : Json.compact(schema);
    }
    if (type.isArray()) {
      List<String> options = new ArrayList<>();
      type.forEach(t -> options.add(ofType(t.asText(), schema)));
      return String.join(" | ", options);
    }
    return ofType(type.asText(), schema);
  }

  private static String ofType(String type, JsonNode schema) {
    String format = schema.path("format").asText("");
    return switch (type) {
      case "integer" -> format.equals("int32") || format.equals("int64") ? format : "integer";
      case "number" -> format.equals("float") || format.equals("double") ? format : "number";
      case "string" -> schema.path("contentEncoding").asText("").equals("base64") ? "string(base64)"
          : format.isEmpty() ? "string" : "string(" + format + ")";
      case "boolean", "null" -> type;
      case "array" -> (schema.path("uniqueItems").asBoolean(false) ? "set<" : "array<")
          + text(schema.get("items")) + ">";
      case "object" -> object(schema);
      default -> Json.compact(schema);
    };
  }

  private static String object(JsonNode schema) {
    JsonNode properties = schema.get("properties");
    if (properties != null && properties.isObject() && !properties.isEmpty()) {
      return properties(schema);
    }
    JsonNode values = schema.get("additionalProperties");
    if (values != null && values.isObject()) {
      String key = schema.has("propertyNames") ? text(schema.get("propertyNames")) : "string";
      return "map<" + key + ", " + text(values) + ">";
    }
    return "object";
  }

  /** {@code {name: string, age?: int32}}: a property not listed in {@code required} gets a {@code ?}. */
  static String properties(JsonNode schema) {
    Set<String> required = new HashSet<>();
    schema.path("required").forEach(r -> required.add(r.asText()));
    boolean anyRequired = schema.has("required");
    List<String> members = new ArrayList<>();
    for (Map.Entry<String, JsonNode> p : schema.path("properties").properties()) {
      boolean optional = anyRequired && !required.contains(p.getKey());
      members.add(p.getKey() + (optional ? "?" : "") + ": " + text(p.getValue()));
    }
    return "{" + String.join(", ", members) + "}";
  }

  /**
   * The name a table shows for a component: its key without the package, so
   * {@code com.example.calc.Calculator.Entry} is {@code Calculator.Entry}.
   */
  static String shortName(String component) {
    String[] parts = component.split("\\.");
    int first = 0;
    while (first < parts.length - 1 && !parts[first].isEmpty() && Character.isLowerCase(parts[first].charAt(0))) {
      first++;
    }
    return String.join(".", List.of(parts).subList(first, parts.length));
  }

  private static String refName(String ref) {
    return ref.startsWith(REF_PREFIX) ? shortName(ref.substring(REF_PREFIX.length())) : ref;
  }

  private static boolean onlyAnnotations(JsonNode schema) {
    for (Map.Entry<String, JsonNode> member : schema.properties()) {
      String name = member.getKey();
      if (!name.equals("description") && !name.equals("title") && !name.startsWith("x-")) {
        return false;
      }
    }
    return true;
  }
}
