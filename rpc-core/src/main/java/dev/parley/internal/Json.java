package dev.parley.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one Jackson configuration Parley uses on both sides of the wire.
 *
 * <p>Decoding is strict, as docs/ERRORS.md promises for -32602: a JSON value decodes only into the
 * Java types whose JSON form it is. A number with a fraction or an exponent ({@code 3.7},
 * {@code 5.0}, {@code 1e3}) is refused for integer types instead of being truncated; a string is
 * refused for numbers and booleans ({@code "12"}), a number or boolean for strings and
 * {@code char}, a number for booleans and enums; a number outside its type's range is refused
 * ({@code 200} for a {@code byte}, {@code 1e400} for a {@code double}). The strings
 * {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"} stay accepted for floating-point types,
 * because that is how Jackson writes those values. Numbers with a fraction or an exponent are read
 * as exact {@code BigDecimal}s wherever the target does not name another type ({@code JsonNode},
 * {@code Number}), with their scale kept ({@code 1.50} stays {@code 1.50}), so a
 * {@code BigDecimal} or {@code BigInteger} travels exactly in both directions.
 */
public final class Json {
  /** Shared, thread-safe, never reconfigured after class initialisation. */
  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new Jdk8Module())
      .addModule(new JavaTimeModule())
      .addModule(strictNumbers())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
      .withCoercionConfig(LogicalType.Integer, c -> c
          .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
      .withCoercionConfig(LogicalType.Float, c -> c
          .setCoercion(CoercionInputShape.String, CoercionAction.Fail))
      .withCoercionConfig(LogicalType.Boolean, c -> c
          .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
      .withCoercionConfig(LogicalType.Textual, c -> c
          .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
      .withCoercionConfig(Character.class, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
      .withCoercionConfig(char.class, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
      .build();

  private static final ConcurrentHashMap<Type, JavaType> TYPES = new ConcurrentHashMap<>();

  private Json() {}

  /** The Jackson type for {@code type}, cached (types come from a bounded set of signatures). */
  public static JavaType type(Type type) {
    return TYPES.computeIfAbsent(type, t -> MAPPER.getTypeFactory().constructType(t));
  }

  /** Range checks Jackson leaves out: it takes 128..255 for a byte and overflows doubles to infinity. */
  private static SimpleModule strictNumbers() {
    SimpleModule module = new SimpleModule("parley-strict-numbers");
    module.addDeserializer(Byte.class, new StrictByte(Byte.class, null));
    module.addDeserializer(byte.class, new StrictByte(Byte.TYPE, (byte) 0));
    module.addDeserializer(Float.class, new StrictFloat(Float.class, null));
    module.addDeserializer(float.class, new StrictFloat(Float.TYPE, 0f));
    module.addDeserializer(Double.class, new StrictDouble(Double.class, null));
    module.addDeserializer(double.class, new StrictDouble(Double.TYPE, 0d));
    return module;
  }

  /** A byte is -128..127: Jackson also takes 128..255 and wraps them round. */
  private static final class StrictByte extends NumberDeserializers.ByteDeserializer {
    private static final long serialVersionUID = 1L;

    StrictByte(Class<Byte> type, Byte nullValue) {
      super(type, nullValue);
    }

    @Override
    public Byte deserialize(JsonParser p, DeserializationContext context) throws IOException {
      if (p.currentToken() == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT
          && p.getIntValue() > Byte.MAX_VALUE) {
        return (Byte) context.handleWeirdNumberValue(_valueClass, p.getIntValue(), "out of range of a Java byte");
      }
      return super.deserialize(p, context);
    }
  }

  /** A finite JSON number too large for a float is out of range, not infinity. */
  private static final class StrictFloat extends NumberDeserializers.FloatDeserializer {
    private static final long serialVersionUID = 1L;

    StrictFloat(Class<Float> type, Float nullValue) {
      super(type, nullValue);
    }

    @Override
    public Float deserialize(JsonParser p, DeserializationContext context) throws IOException {
      Float value = super.deserialize(p, context);
      if (value != null && value.isInfinite() && p.currentToken().isNumeric()) {
        return (Float) context.handleWeirdNumberValue(_valueClass, p.getNumberValue(), "out of range of a Java float");
      }
      return value;
    }
  }

  /** A finite JSON number too large for a double is out of range, not infinity. */
  private static final class StrictDouble extends NumberDeserializers.DoubleDeserializer {
    private static final long serialVersionUID = 1L;

    StrictDouble(Class<Double> type, Double nullValue) {
      super(type, nullValue);
    }

    @Override
    public Double deserialize(JsonParser p, DeserializationContext context) throws IOException {
      Double value = super.deserialize(p, context);
      if (value != null && value.isInfinite() && p.currentToken().isNumeric()) {
        return (Double) context.handleWeirdNumberValue(_valueClass, p.getNumberValue(), "out of range of a Java double");
      }
      return value;
    }
  }
}
