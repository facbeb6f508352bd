package dev.parley.internal.jsonrpc;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.parley.Arguments;
import dev.parley.CallContext;
import dev.parley.FunctionDescriptor;
import dev.parley.RemoteException;
import dev.parley.internal.Json;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Iterator;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link Arguments} of one call, read from its {@code params} tree by name (object) or position
 * (array). Error messages name the parameter and its expected type, never the value received.
 */
public final class ParamsArguments implements Arguments {
  private static final ConcurrentHashMap<Type, ObjectReader> READERS = new ConcurrentHashMap<>();

  private final JsonNode params;
  private final CallContextSource contexts;
  private final String function;
  private final RequestId id;
  private CallContext context;

  private ParamsArguments(JsonNode params, CallContextSource contexts, String function, RequestId id) {
    this.params = params;
    this.contexts = contexts;
    this.function = function;
    this.id = id;
  }

  /**
   * Checks the shape of {@code params} against {@code function} and returns its arguments.
   *
   * @param params an object, an array, or null when the request has no {@code params}
   * @throws RemoteException {@link RemoteException#INVALID_PARAMS} for a named parameter the
   *     function does not declare, or more positional parameters than it declares (a function
   *     with a rest parameter takes any number)
   */
  public static ParamsArguments of(JsonNode params, FunctionDescriptor function) {
    return of(params, function, null, null);
  }

  /**
   * {@link #of(JsonNode, FunctionDescriptor)} for the call with {@code id} (null for a
   * notification), whose {@link #callContext()} {@code contexts} makes when first asked for.
   */
  public static ParamsArguments of(JsonNode params, FunctionDescriptor function, CallContextSource contexts,
      RequestId id) {
    if (params != null && params.isObject()) {
      for (Iterator<String> names = params.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!function.params().contains(name)) {
          throw invalid("unknown parameter '" + shorten(name) + "'; " + function.name() + " takes "
              + function.params());
        }
      }
    } else if (params != null && params.isArray() && params.size() > function.params().size() && !function.varargs()) {
      throw invalid(function.name() + " takes " + function.params().size() + " parameter(s) "
          + function.params() + " but " + params.size() + " were given");
    }
    return new ParamsArguments(params, contexts, function.name(), id);
  }

  @Override
  public CallContext callContext() {
    if (context == null) {
      if (contexts == null) {
        return Arguments.super.callContext();
      }
      context = contexts.callContext(function, id);
    }
    return context;
  }

  @Override
  public <T> T get(int position, String name, Type type) {
    JsonNode node = null;
    if (params != null) {
      node = params.isObject() ? params.get(name) : params.get(position);
    }
    if (node == null) {
      return missing(name, type);
    }
    try {
      return read(node, type);
    } catch (IOException | IllegalArgumentException e) {
      throw invalid("parameter '" + name + "' (position " + position + ") is not a valid " + typeName(type));
    }
  }

  @Override
  public <T> T rest(int position, String name, Type arrayType) {
    JsonNode node;
    String where;
    if (params == null) {
      node = null;
      where = "";
    } else if (params.isObject()) {
      node = params.get(name);
      where = " (position " + position + ")";
    } else {
      ArrayNode rest = JsonNodeFactory.instance.arrayNode(params.size());
      for (int i = position; i < params.size(); i++) {
        rest.add(params.get(i));
      }
      node = rest;
      where = " (positions " + position + " on)";
    }
    if (node == null || node.isNull()) {
      node = JsonNodeFactory.instance.arrayNode();
    }
    try {
      return read(node, arrayType);
    } catch (IOException | IllegalArgumentException e) {
      String array = typeName(arrayType);
      String elements = array.endsWith("[]") ? array.substring(0, array.length() - 2) + "..." : array;
      throw invalid("parameter '" + name + "'" + where + " is not a valid " + elements);
    }
  }

  /** Binds one JSON value to a Java type with the strict mapper (a reader cached per type). */
  private static <T> T read(JsonNode node, Type type) throws IOException {
    ObjectReader reader = READERS.computeIfAbsent(type, t -> Json.MAPPER.readerFor(Json.type(t)));
    @SuppressWarnings("unchecked")
    T value = (T) reader.readValue(node);
    return value;
  }

  @SuppressWarnings("unchecked")
  private static <T> T missing(String name, Type type) {
    JavaType javaType = Json.type(type);
    Class<?> raw = javaType.getRawClass();
    if (raw.isPrimitive()) {
      throw invalid("parameter '" + name + "' is missing");
    }
    if (raw == Optional.class) {
      return (T) Optional.empty();
    }
    if (raw == OptionalInt.class) {
      return (T) OptionalInt.empty();
    }
    if (raw == OptionalLong.class) {
      return (T) OptionalLong.empty();
    }
    if (raw == OptionalDouble.class) {
      return (T) OptionalDouble.empty();
    }
    return null;
  }

  private static String typeName(Type type) {
    String name = type.getTypeName();
    return name.startsWith("java.lang.") && name.indexOf('.', 10) < 0 ? name.substring(10) : name;
  }

  private static String shorten(String text) {
    return text.length() <= 64 ? text : text.substring(0, 64) + "…";
  }

  private static RemoteException invalid(String detail) {
    return new RemoteException(RemoteException.INVALID_PARAMS, "Invalid params: " + detail);
  }
}
