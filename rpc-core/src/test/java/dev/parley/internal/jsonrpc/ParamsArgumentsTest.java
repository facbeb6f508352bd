package dev.parley.internal.jsonrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.FunctionDescriptor;
import dev.parley.RemoteException;
import dev.parley.TypeRef;
import dev.parley.internal.Json;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

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
}
