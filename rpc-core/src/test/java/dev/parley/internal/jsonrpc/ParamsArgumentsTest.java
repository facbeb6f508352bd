package dev.parley.internal.jsonrpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.FunctionDescriptor;
import dev.parley.RemoteException;
import dev.parley.TypeRef;
import dev.parley.internal.Json;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ParamsArgumentsTest {
  private static final FunctionDescriptor ADD = new FunctionDescriptor("add", List.of("a", "b"), false);

  private static JsonNode tree(String json) throws Exception {
    return Json.MAPPER.readTree(json);
  }

  @Test
  void namedParamsAreFoundByName() throws Exception {
    ParamsArguments args = ParamsArguments.of(tree("{\"b\":2,\"a\":1}"), ADD);
    assertEquals(1, (int) args.<Integer>get(0, "a", int.class));
    assertEquals(2, (int) args.<Integer>get(1, "b", int.class));
  }

  @Test
  void positionalParamsAreFoundByPosition() throws Exception {
    ParamsArguments args = ParamsArguments.of(tree("[1,2]"), ADD);
    assertEquals(2, (int) args.<Integer>get(1, "b", int.class));
  }

  @Test
  void genericTypesAreDecoded() throws Exception {
    ParamsArguments args = ParamsArguments.of(tree("[[1,2,3]]"), new FunctionDescriptor("f", List.of("xs"), false));
    List<Long> xs = args.get(0, "xs", new TypeRef<List<Long>>() {}.type());
    assertEquals(List.of(1L, 2L, 3L), xs);
  }

  @Test
  void unknownNamedParamIsRejectedAtOnce() {
    RemoteException e = assertThrows(RemoteException.class, () -> ParamsArguments.of(tree("{\"a\":1,\"zz\":2}"), ADD));
    assertEquals(RemoteException.INVALID_PARAMS, e.code());
    assertTrue(e.getMessage().contains("'zz'"), e.getMessage());
  }

  @Test
  void tooManyPositionalParamsAreRejectedAtOnce() {
    RemoteException e = assertThrows(RemoteException.class, () -> ParamsArguments.of(tree("[1,2,3]"), ADD));
    assertEquals(RemoteException.INVALID_PARAMS, e.code());
  }

  @Test
  void missingPrimitiveIsInvalidParams() throws Exception {
    ParamsArguments args = ParamsArguments.of(tree("[1]"), ADD);
    RemoteException e = assertThrows(RemoteException.class, () -> args.get(1, "b", int.class));
    assertEquals(RemoteException.INVALID_PARAMS, e.code());
    assertTrue(e.getMessage().contains("'b'"), e.getMessage());
  }

  @Test
  void missingReferenceIsNullAndMissingOptionalIsEmpty() {
    ParamsArguments args = ParamsArguments.of(null, ADD);
    assertNull(args.get(0, "a", String.class));
    assertEquals(Optional.empty(), args.get(1, "b", new TypeRef<Optional<String>>() {}.type()));
  }

  @Test
  void undecodableValueIsInvalidParamsWithoutTheValue() throws Exception {
    ParamsArguments args = ParamsArguments.of(tree("[\"secret-value\",2]"), ADD);
    RemoteException e = assertThrows(RemoteException.class, () -> args.get(0, "a", int.class));
    assertEquals(RemoteException.INVALID_PARAMS, e.code());
    assertTrue(e.getMessage().contains("'a'") && e.getMessage().contains("int"), e.getMessage());
    assertTrue(!e.getMessage().contains("secret-value"), e.getMessage());
  }

  // Strict decoding (docs/ERRORS.md, -32602): a value decodes only into the types whose JSON form it is.

  private static final FunctionDescriptor ONE = new FunctionDescriptor("f", List.of("x"), false);

  /** A record the tests nest values in. */
  record Point(int x, int y) {}

  private static RemoteException refused(String value, Type type) throws Exception {
    ParamsArguments args = ParamsArguments.of(tree("[" + value + "]"), ONE);
    RemoteException e = assertThrows(RemoteException.class, () -> args.get(0, "x", type));
    assertEquals(RemoteException.INVALID_PARAMS, e.code());
    assertTrue(e.getMessage().startsWith("Invalid params: parameter 'x' (position 0) is not a valid "), e.getMessage());
    return e;
  }

  private static Object decoded(String value, Type type) throws Exception {
    return ParamsArguments.of(tree("[" + value + "]"), ONE).get(0, "x", type);
  }

  /** A value and a type whose JSON form it is not, one row for each kind of mismatch. */
  static Stream<Arguments> mismatches() {
    return Stream.of(
        // a fraction for an integer type
        Arguments.of("3.7", int.class), Arguments.of("3.7", Integer.class),
        Arguments.of("1.5", long.class), Arguments.of("1.5", Long.class),
        // a number written with a decimal point or an exponent for an integer type
        Arguments.of("5.0", int.class), Arguments.of("1e3", long.class), Arguments.of("2.0", BigInteger.class),
        // a string for a number
        Arguments.of("\"12\"", long.class), Arguments.of("\"12\"", Long.class),
        Arguments.of("\"1.5\"", double.class), Arguments.of("\"1.5\"", BigDecimal.class),
        Arguments.of("\"7\"", BigInteger.class),
        // a number or a boolean for a string
        Arguments.of("5", String.class), Arguments.of("true", String.class),
        // a number or a string for a boolean
        Arguments.of("1", boolean.class), Arguments.of("\"true\"", Boolean.class),
        // a number for a char
        Arguments.of("65", char.class));
  }

  @ParameterizedTest(name = "{0} for {1}")
  @MethodSource("mismatches")
  void valueOfAnotherJsonFormThanItsParametersTypeIsRefused(String value, Type type) throws Exception {
    refused(value, type);
  }

  @Test
  void numberForAnEnumIsRefused() throws Exception {
    refused("0", Thread.State.class);
    assertEquals(Thread.State.NEW, decoded("\"NEW\"", Thread.State.class));
  }

  @Test
  void numberOutOfRangeForAByteIsRefused() throws Exception {
    refused("200", byte.class);
    refused("-129", Byte.class);
    assertEquals((byte) 127, decoded("127", byte.class));
    assertEquals((byte) -128, decoded("-128", byte.class));
  }

  @Test
  void numberOutOfRangeForAnIntOrADoubleIsRefused() throws Exception {
    refused("3000000000", int.class);
    refused("1e400", double.class);
    refused("1e39", float.class);
  }

  @Test
  void nanAndInfinityStringsAreAcceptedForDoublesAsJacksonWritesThem() throws Exception {
    assertTrue(Double.isNaN((Double) decoded("\"NaN\"", double.class)));
    assertEquals(Double.NEGATIVE_INFINITY, decoded("\"-Infinity\"", Double.class));
  }

  @Test
  void integerIsAcceptedForADouble() throws Exception {
    assertEquals(2.0, decoded("2", double.class));
  }

  @Test
  void fractionInsideAListOrARecordIsRefusedToo() throws Exception {
    refused("[1,2.5]", new TypeRef<List<Integer>>() {}.type());
    refused("[1,2.5]", int[].class);
    refused("{\"x\":1,\"y\":2.5}", Point.class);
  }

  @Test
  void bigDecimalParameterKeepsEveryDigitAndItsScale() throws Exception {
    assertEquals(new BigDecimal("0.1000000000000000000001"), decoded("0.1000000000000000000001", BigDecimal.class));
    BigDecimal scaled = (BigDecimal) decoded("1.50", BigDecimal.class);
    assertEquals(2, scaled.scale());
    assertEquals(new BigDecimal("1E+400"), decoded("1e400", BigDecimal.class));
  }

  @Test
  void bigIntegerParameterKeepsEveryDigit() throws Exception {
    assertEquals(new BigInteger("123456789012345678901234567890"),
        decoded("123456789012345678901234567890", BigInteger.class));
  }

  @Test
  void jsonNodeParameterHoldsAFractionExactly() throws Exception {
    JsonNode node = (JsonNode) decoded("0.1000000000000000000001", JsonNode.class);
    assertEquals(new BigDecimal("0.1000000000000000000001"), node.decimalValue());
  }

  // Rest parameters (Java varargs).

  private static final FunctionDescriptor SUM = new FunctionDescriptor("sum", List.of("numbers"), false, true);
  private static final FunctionDescriptor JOIN = new FunctionDescriptor("join", List.of("separator", "parts"), false, true);

  @Test
  void restParameterTakesEveryPositionalParamFromItsPositionOn() throws Exception {
    assertArrayEquals(new int[] {1, 2, 4}, ParamsArguments.of(tree("[1,2,4]"), SUM).rest(0, "numbers", int[].class));
    ParamsArguments join = ParamsArguments.of(tree("[\"-\",\"a\",\"b\"]"), JOIN);
    assertEquals("-", join.get(0, "separator", String.class));
    assertArrayEquals(new String[] {"a", "b"}, join.rest(1, "parts", String[].class));
  }

  @Test
  void restParameterByNameIsAnArray() throws Exception {
    assertArrayEquals(new int[] {1, 2, 4}, ParamsArguments.of(tree("{\"numbers\":[1,2,4]}"), SUM).rest(0, "numbers", int[].class));
  }

  @Test
  void missingOrNullRestParameterIsAnEmptyArray() throws Exception {
    assertArrayEquals(new int[0], ParamsArguments.of(tree("[]"), SUM).rest(0, "numbers", int[].class));
    assertArrayEquals(new int[0], ParamsArguments.of(tree("{}"), SUM).rest(0, "numbers", int[].class));
    assertArrayEquals(new int[0], ParamsArguments.of(tree("{\"numbers\":null}"), SUM).rest(0, "numbers", int[].class));
    assertArrayEquals(new String[0], ParamsArguments.of(null, JOIN).rest(1, "parts", String[].class));
  }

  @Test
  void badElementOfARestParameterIsInvalidParamsNamingIt() throws Exception {
    ParamsArguments args = ParamsArguments.of(tree("[1,2.5,4]"), SUM);
    RemoteException e = assertThrows(RemoteException.class, () -> args.rest(0, "numbers", int[].class));
    assertEquals(RemoteException.INVALID_PARAMS, e.code());
    assertEquals("Invalid params: parameter 'numbers' (positions 0 on) is not a valid int...", e.getMessage());
  }

  @Test
  void arrayForAPositionalRestParameterIsOneElementNotTheWholeRest() throws Exception {
    ParamsArguments args = ParamsArguments.of(tree("[[1,2,4]]"), SUM);
    assertThrows(RemoteException.class, () -> args.rest(0, "numbers", int[].class));
  }

  @Test
  void functionWithoutARestParameterStillRefusesExtraPositionalParams() {
    assertThrows(RemoteException.class, () -> ParamsArguments.of(tree("[1,2,3]"), ADD));
  }
}
