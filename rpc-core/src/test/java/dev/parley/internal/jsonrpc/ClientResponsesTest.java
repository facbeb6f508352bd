package dev.parley.internal.jsonrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.parley.RemoteException;
import dev.parley.TypeRef;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClientResponsesTest {
  record Entry(String op, int value) {}

  private static InputStream body(String json) {
    return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
  }

  private static Object read(String json, long id, Type type) throws IOException {
    return ClientResponses.read(body(json), id, type);
  }

  @Test
  void resultIsDecodedIntoTheWantedType() throws IOException {
    assertEquals(3, read("{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":3}", 7, Integer.class));
  }

  @Test
  void resultBeforeIdIsDecodedIntoTheWantedType() throws IOException {
    assertEquals(3, read("{\"jsonrpc\":\"2.0\",\"result\":3,\"id\":7}", 7, int.class));
  }

  @Test
  void genericResultKeepsItsElementType() throws IOException {
    Object result = read("{\"result\":[{\"op\":\"add\",\"value\":3}],\"jsonrpc\":\"2.0\",\"id\":1}", 1,
        new TypeRef<List<Entry>>() {}.type());
    assertEquals(List.of(new Entry("add", 3)), result);
  }

  @Test
  void nullResultDecodesAsEmptyOptional() throws IOException {
    assertEquals(Optional.empty(), read("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":null}", 1,
        new TypeRef<Optional<String>>() {}.type()));
  }

  @Test
  void voidResultIsSkipped() throws IOException {
    assertNull(read("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"ignored\":[1,2]}}", 1, void.class));
  }

  @Test
  void unknownMembersAreIgnored() throws IOException {
    assertEquals("x", read("{\"jsonrpc\":\"2.0\",\"extra\":{\"a\":[1]},\"id\":1,\"result\":\"x\"}", 1, String.class));
  }

  @Test
  void nullErrorNextToAResultIsTolerated() throws IOException {
    assertEquals(3, read("{\"jsonrpc\":\"2.0\",\"result\":3,\"error\":null,\"id\":7}", 7, int.class));
  }

  @Test
  void versionThatIsNotAStringIsRefusedAsAMissingVersion() {
    ClientResponseException e = assertThrows(ClientResponseException.class, () -> read(
        "{\"jsonrpc\":{\"result\":1,\"id\":7},\"id\":7,\"result\":3}", 7, int.class));
    assertEquals("the response has no \"jsonrpc\": \"2.0\" member", e.getMessage());
  }

  @Test
  void errorBecomesRemoteExceptionWithCodeMessageAndData() {
    RemoteException e = assertThrows(RemoteException.class, () -> read(
        "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":42,\"message\":\"division by zero\",\"data\":{\"a\":1}},\"id\":5}",
        5, int.class));
    assertEquals(42, e.code());
    assertEquals("division by zero", e.getMessage());
    assertEquals(1, e.data().get("a").asInt());
  }

  @Test
  void errorWithNullIdIsReported() {
    RemoteException e = assertThrows(RemoteException.class, () -> read(
        "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32700,\"message\":\"Parse error\"},\"id\":null}", 5, int.class));
    assertEquals(RemoteException.PARSE_ERROR, e.code());
    assertNull(e.data());
  }

  @Test
  void resultForAnotherIdIsRefused() {
    ClientResponseException e = assertThrows(ClientResponseException.class,
        () -> read("{\"jsonrpc\":\"2.0\",\"result\":3,\"id\":8}", 7, int.class));
    assertEquals("the result answers id 8, the request had id 7", e.getMessage());
  }

  /**
   * Answers to the single call with id 7 that are no response to it: a string id, an error for
   * another id, no version, both a result and an error, an object that is no response, a batch,
   * an empty body, content after the response.
   */
  @ParameterizedTest
  @ValueSource(strings = {
      "{\"jsonrpc\":\"2.0\",\"result\":3,\"id\":\"7\"}",
      "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":1,\"message\":\"m\"},\"id\":8}",
      "{\"result\":3,\"id\":7}",
      "{\"jsonrpc\":\"2.0\",\"result\":3,\"error\":{\"code\":1,\"message\":\"m\"},\"id\":7}",
      "{\"hello\":\"world\"}",
      "[{\"jsonrpc\":\"2.0\",\"result\":3,\"id\":7}]",
      "",
      "{\"jsonrpc\":\"2.0\",\"result\":3,\"id\":7} {}"})
  void answerThatIsNoResponseToTheCallIsRefused(String json) {
    assertThrows(ClientResponseException.class, () -> read(json, 7, int.class));
  }

  @Test
  void truncatedBodyIsAJsonError() {
    assertThrows(JsonProcessingException.class, () -> read("{\"jsonrpc\":\"2.0\",\"result\":[1,2", 7, int[].class));
  }

  /** A result of the wrong type, and a null result for a primitive. */
  @ParameterizedTest
  @ValueSource(strings = {"{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":\"x\"}", "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":null}"})
  void resultThatIsNoIntIsAJsonError(String json) {
    assertThrows(JsonProcessingException.class, () -> read(json, 7, int.class));
  }

  @Test
  void batchAnswersAreMatchedByIdInAnyOrder() throws IOException {
    Map<Long, Type> types = Map.of(1L, Integer.class, 2L, String.class);
    ClientBatchResponse r = ClientResponses.readBatch(body(
        "[{\"jsonrpc\":\"2.0\",\"result\":\"two\",\"id\":2},{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":1}]"), types::get);
    assertEquals(1, r.outcome(1).result());
    assertEquals("two", r.outcome(2).result());
  }

  @Test
  void batchErrorIsTheOutcomeOfItsId() throws IOException {
    ClientBatchResponse r = ClientResponses.readBatch(body(
        "[{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32601,\"message\":\"no\"},\"id\":1}]"), id -> int.class);
    assertEquals(RemoteException.METHOD_NOT_FOUND, r.outcome(1).error().code());
  }

  @Test
  void batchAnswerForAnIdNotSentIsIgnored() throws IOException {
    Map<Long, Type> types = Map.of(1L, Integer.class);
    ClientBatchResponse r = ClientResponses.readBatch(body("[{\"jsonrpc\":\"2.0\",\"result\":9,\"id\":99}]"), types::get);
    assertEquals(0, r.answered());
    assertNull(r.outcome(99));
  }

  @Test
  void batchIdAnsweredTwiceIsAProblem() throws IOException {
    ClientBatchResponse r = ClientResponses.readBatch(body(
        "[{\"jsonrpc\":\"2.0\",\"result\":1,\"id\":1},{\"jsonrpc\":\"2.0\",\"result\":2,\"id\":1}]"), id -> int.class);
    assertEquals("the server answered id 1 more than once", r.outcome(1).problem());
  }

  @Test
  void singleErrorObjectAnsweringABatchIsTheErrorWithoutId() throws IOException {
    ClientBatchResponse r = ClientResponses.readBatch(body(
        "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32600,\"message\":\"Invalid Request\"},\"id\":null}"),
        id -> int.class);
    assertEquals(RemoteException.INVALID_REQUEST, r.errorWithoutId().code());
    assertEquals(0, r.answered());
  }

  @Test
  void batchEntryWithoutVersionIsAProblemForItsId() throws IOException {
    ClientBatchResponse r = ClientResponses.readBatch(body("[{\"result\":1,\"id\":1}]"), id -> int.class);
    assertTrue(r.outcome(1).problem().contains("jsonrpc"));
  }

  @Test
  void truncatedBatchIsAJsonError() {
    assertThrows(JsonProcessingException.class,
        () -> ClientResponses.readBatch(body("[{\"jsonrpc\":\"2.0\",\"result\":1,\"id\":1},"), id -> int.class));
  }

  @Test
  void batchOfNonObjectsIsRefused() {
    assertInstanceOf(ClientResponseException.class,
        assertThrows(IOException.class, () -> ClientResponses.readBatch(body("[1,2]"), id -> int.class)));
  }

  @Test
  void fractionForAnIntResultIsAnErrorNotATruncation() {
    assertThrows(JsonProcessingException.class, () -> read("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":2.7}", 1, int.class));
  }

  @Test
  void stringForALongResultIsAnError() {
    assertThrows(JsonProcessingException.class, () -> read("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"12\"}", 1, long.class));
  }

  @Test
  void bigDecimalResultKeepsEveryDigitAndItsScale() throws IOException {
    assertEquals(new BigDecimal("0.1000000000000000000001"),
        read("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":0.1000000000000000000001}", 1, BigDecimal.class));
    assertEquals(2, ((BigDecimal) read("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":1.50}", 1, BigDecimal.class)).scale());
  }

  @Test
  void errorDataKeepsAFractionExactly() {
    RemoteException e = assertThrows(RemoteException.class, () -> read(
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":7,\"message\":\"m\",\"data\":0.1000000000000000000001}}",
        1, int.class));
    assertEquals(new BigDecimal("0.1000000000000000000001"), e.data().decimalValue());
  }
}
