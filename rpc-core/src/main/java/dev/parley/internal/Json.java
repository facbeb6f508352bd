package dev.parley.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.lang.reflect.Type;
import java.util.concurrent.ConcurrentHashMap;

/** The one Jackson configuration Parley uses on both sides of the wire. */
public final class Json {
  /** Shared, thread-safe, never reconfigured after class initialisation. */
  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new Jdk8Module())
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .build();

  private static final ConcurrentHashMap<Type, JavaType> TYPES = new ConcurrentHashMap<>();

  private Json() {}

  /** The Jackson type for {@code type}, cached (types come from a bounded set of signatures). */
  public static JavaType type(Type type) {
    return TYPES.computeIfAbsent(type, t -> MAPPER.getTypeFactory().constructType(t));
  }
}
