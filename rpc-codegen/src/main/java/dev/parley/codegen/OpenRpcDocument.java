package dev.parley.codegen;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * Builds the OpenRPC 1.3.2 document of one annotated type, with JSON Schemas mapped from the Java
 * types. Named records and beans go to {@code components.schemas} under their canonical name and are
 * referenced with {@code $ref} (so recursive types terminate); generic ones are inlined. A value of
 * a reference type may be null unless it is declared non-null, so its schema accepts null too: the
 * document describes what the server really sends.
 */
final class OpenRpcDocument {
  private static final Map<String, Map<String, Object>> SCALARS = new LinkedHashMap<>();

  static {
    scalar("boolean", null, "boolean", "java.lang.Boolean");
    scalar("integer", "int32", "byte", "short", "int", "java.lang.Byte", "java.lang.Short", "java.lang.Integer");
    scalar("integer", "int64", "long", "java.lang.Long");
    scalar("integer", null, "java.math.BigInteger");
    scalar("number", "float", "float", "java.lang.Float");
    scalar("number", "double", "double", "java.lang.Double");
    scalar("number", null, "java.math.BigDecimal", "java.lang.Number");
    // JSON Schema's "time" is RFC 3339's full-time, which has an offset: a LocalTime has none.
    scalar("string", null, "java.lang.String", "java.lang.CharSequence", "java.time.LocalDateTime", "java.time.LocalTime",
        "java.time.Year", "java.time.YearMonth", "java.time.MonthDay", "java.time.ZoneId",
        "java.time.ZoneOffset", "java.util.Locale", "java.util.Currency");
    scalar("string", "date-time", "java.time.Instant", "java.time.OffsetDateTime", "java.time.ZonedDateTime");
    scalar("string", "date", "java.time.LocalDate");
    scalar("string", "time", "java.time.OffsetTime");
    scalar("string", "duration", "java.time.Period");
    // rpc-core's Jackson writes a Duration as decimal seconds (WRITE_DURATIONS_AS_TIMESTAMPS).
    scalar("number", null, "java.time.Duration");
    scalar("string", "uuid", "java.util.UUID");
    scalar("string", "uri", "java.net.URI", "java.net.URL");
    scalar("integer", "int32", "java.util.OptionalInt");
    scalar("integer", "int64", "java.util.OptionalLong");
    scalar("number", "double", "java.util.OptionalDouble");
  }

  private static void scalar(String type, String format, String... javaTypes) {
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", type);
    if (format != null) {
      schema.put("format", format);
    }
    for (String javaType : javaTypes) {
      SCALARS.put(javaType, schema);
    }
  }

  private final TypeSupport support;
  private final Map<String, Object> components = new TreeMap<>();
  private final Set<String> inlining = new HashSet<>();

  private OpenRpcDocument(TypeSupport support) {
    this.support = support;
  }

  /** The document as JSON text, deterministic for a given source. */
  static String json(Model.Service service, TypeSupport support) {
    return JsonWriter.write(new OpenRpcDocument(support).document(service));
  }

  private Map<String, Object> document(Model.Service service) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("openrpc", "1.3.2");
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("title", service.type().getSimpleName().toString());
    info.put("version", "1.0.0");
    document.put("info", info);
    List<Object> methods = new ArrayList<>();
    for (Model.Function function : service.functions()) {
      methods.add(method(function));
    }
    document.put("methods", methods);
    if (!components.isEmpty()) {
      document.put("components", Map.of("schemas", components));
    }
    return document;
  }

  private Map<String, Object> method(Model.Function function) {
    Map<String, Object> method = new LinkedHashMap<>();
    method.put("name", function.wireName());
    if (function.description() != null) {
      method.put("description", function.description());
    }
    // The server takes params by name (an object) and by position (an array) alike.
    method.put("paramStructure", "either");
    List<Object> params = new ArrayList<>();
    for (Model.Param param : function.sent()) {
      Map<String, Object> descriptor = new LinkedHashMap<>();
      descriptor.put("name", param.name());
      if (param.rest()) {
        descriptor.put("description", "Rest parameter (Java varargs): by position, the params from here on,"
            + " one element each; by name, an array.");
      }
      descriptor.put("required", !param.optional());
      descriptor.put("schema", valueSchema(param.type(), param.element()));
      params.add(descriptor);
    }
    method.put("params", params);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("name", "result");
    TypeKind kind = function.result().getKind();
    boolean isVoid = kind == TypeKind.VOID
        || TypeSupport.qualifiedName(function.result()).equals("java.lang.Void");
    result.put("schema", isVoid ? Map.of("type", "null") : valueSchema(function.result(), function.method()));
    method.put("result", result);
    if (!function.errors().isEmpty()) {
      List<Object> errors = new ArrayList<>();
      Map<String, Object> dataSchemas = new LinkedHashMap<>();
      for (Model.ErrorType error : function.errors()) {
        String message = error.description() != null ? firstSentence(error.description())
            : error.type().getSimpleName().toString();
        errors.add(ordered("code", error.code(), "message", message));
        if (error.data() != null) {
          dataSchemas.put(Integer.toString(error.code()), valueSchema(error.data(), null));
        }
      }
      method.put("errors", errors);
      if (!dataSchemas.isEmpty()) {
        // An OpenRPC error object holds an example data value, not its schema: the schemas go here.
        method.put("x-error-data", dataSchemas);
      }
    }
    method.put("x-idempotent", function.idempotent());
    return method;
  }

  /**
   * The schema of a value of {@code type} declared by {@code element} (null for a type argument or
   * an array's component): null is allowed too, because Jackson writes a null reference (and an
   * empty {@code Optional}) as JSON null, unless the type is primitive or the value is declared
   * non-null ({@link TypeSupport#declaredNonNull}).
   */
  private Map<String, Object> valueSchema(TypeMirror type, Element element) {
    Map<String, Object> schema = schema(type);
    boolean optional = type.getKind() == TypeKind.DECLARED
        && TypeSupport.qualifiedName(type).startsWith("java.util.Optional");
    return optional || !TypeSupport.declaredNonNull(element, type) ? nullable(schema) : schema;
  }

  /**
   * {@code schema} extended to also accept null: {@code "type": ["string", "null"]} (with null
   * added to an {@code enum}), or {@code {"oneOf": [schema, {"type": "null"}]}} for a reference.
   * The empty schema already accepts anything.
   */
  static Map<String, Object> nullable(Map<String, Object> schema) {
    if (schema.isEmpty()) {
      return schema;
    }
    Object type = schema.get("type");
    if (type instanceof String name) {
      if (name.equals("null")) {
        return schema;
      }
      Map<String, Object> copy = new LinkedHashMap<>(schema);
      copy.put("type", List.of(name, "null"));
      if (copy.get("enum") instanceof List<?> constants) {
        List<Object> withNull = new ArrayList<>(constants);
        withNull.add(null);
        copy.put("enum", withNull);
      }
      return copy;
    }
    return ordered("oneOf", List.of(schema, Map.of("type", "null")));
  }

  Map<String, Object> schema(TypeMirror type) {
    String name = type.getKind().isPrimitive() ? type.toString() : TypeSupport.qualifiedName(type);
    Map<String, Object> scalar = SCALARS.get(name);
    if (scalar != null) {
      return scalar;
    }
    if (type.getKind() == TypeKind.ARRAY) {
      TypeMirror component = ((ArrayType) type).getComponentType();
      if (component.getKind() == TypeKind.BYTE) {
        return ordered("type", "string", "contentEncoding", "base64");
      }
      return ordered("type", "array", "items", valueSchema(component, null));
    }
    if (name.equals("char") || name.equals("java.lang.Character")) {
      return ordered("type", "string", "minLength", 1, "maxLength", 1);
    }
    if (type.getKind() != TypeKind.DECLARED) {
      return Map.of();
    }
    DeclaredType declared = (DeclaredType) type;
    TypeElement element = (TypeElement) declared.asElement();
    List<? extends TypeMirror> arguments = declared.getTypeArguments();
    if (name.equals("java.util.Optional") && arguments.size() == 1) {
      return schema(arguments.get(0));
    }
    if (element.getKind() == ElementKind.ENUM) {
      List<Object> constants = new ArrayList<>();
      element.getEnclosedElements().stream()
          .filter(e -> e.getKind() == ElementKind.ENUM_CONSTANT)
          .forEach(e -> constants.add(e.getSimpleName().toString()));
      return ordered("type", "string", "enum", constants);
    }
    if (support.isSubtypeOf(type, "java.util.Collection") && arguments.size() == 1) {
      Map<String, Object> schema = ordered("type", "array", "items", valueSchema(arguments.get(0), null));
      if (support.isSubtypeOf(type, "java.util.Set")) {
        schema.put("uniqueItems", true);
      }
      return schema;
    }
    if (support.isSubtypeOf(type, "java.util.Map") && arguments.size() == 2) {
      Map<String, Object> schema = ordered("type", "object");
      TypeMirror key = arguments.get(0);
      String keyName = TypeSupport.qualifiedName(key);
      if (support.isEnum(key)) {
        schema.put("propertyNames", schema(key));
      } else if (keyName.equals("java.lang.Integer") || keyName.equals("java.lang.Long")) {
        schema.put("propertyNames", ordered("pattern", "^-?[0-9]+$"));
      } else if (keyName.equals("java.util.UUID")) {
        schema.put("propertyNames", ordered("format", "uuid"));
      }
      schema.put("additionalProperties", valueSchema(arguments.get(1), null));
      return schema;
    }
    if (TypeSupport.isJdk(element) || support.isJsonNode(type) || support.hasJacksonPolymorphism(element)
        || (element.getKind() != ElementKind.RECORD && element.getKind() != ElementKind.CLASS)) {
      return Map.of(); // any JSON, polymorphic types, JDK types Jackson handles its own way
    }
    if (arguments.isEmpty()) {
      String key = element.getQualifiedName().toString();
      if (!components.containsKey(key)) {
        components.put(key, Map.of()); // placeholder: a recursive reference ends here
        components.put(key, objectSchema(declared));
      }
      return ordered("$ref", "#/components/schemas/" + key);
    }
    if (!inlining.add(type.toString())) {
      return Map.of(); // a recursive generic type: no finite inline schema
    }
    try {
      return objectSchema(declared);
    } finally {
      inlining.remove(type.toString());
    }
  }

  private Map<String, Object> objectSchema(DeclaredType type) {
    Map<String, Object> properties = new LinkedHashMap<>();
    for (TypeSupport.Property property : support.properties(type)) {
      properties.put(property.name(), valueSchema(property.type(), property.element()));
    }
    return ordered("type", "object", "properties", properties);
  }

  /** OpenRPC: an error's message "SHOULD be limited to a concise single sentence". */
  private static String firstSentence(String text) {
    int end = text.indexOf(". ");
    return end < 0 ? text : text.substring(0, end + 1);
  }

  private static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
