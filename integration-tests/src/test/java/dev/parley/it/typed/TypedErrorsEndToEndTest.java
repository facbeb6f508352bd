package dev.parley.it.typed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.RemoteException;
import dev.parley.client.ClientModule;
import dev.parley.server.RpcServer;
import dev.parley.server.ServerModule;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real Jetty and a real OkHttp ClientModule with the generated BankClient: typed errors arrive as
 * the same exception types, unexpected ones as a generic error, varargs travel as rest parameters,
 * exact numbers stay exact, and a client of an interface with a Session function is that interface.
 */
class TypedErrorsEndToEndTest {
  private static final BankImpl bank = new BankImpl();
  private static RpcServer server;
  private static ClientModule module;
  private static BankClient client;

  @BeforeAll
  static void start() {
    server = RpcServer.builder().host("127.0.0.1").port(0)
        .module(ServerModule.builder("/bank").functions(new BankFunctions(bank)).build())
        .build().start();
    module = ClientModule.builder(server.uri() + "/bank").build();
    client = new BankClient(module);
  }

  @AfterAll
  static void stop() {
    module.close();
    server.close();
  }

  @AfterEach
  void reopen() {
    bank.closed = false;
    bank.balance.set(100);
  }

  @Test
  void checkedTypedErrorIsThrownAgainWithItsData() {
    InsufficientFundsException e = assertThrows(InsufficientFundsException.class, () -> client.withdraw(250));
    assertEquals("insufficient funds", e.getMessage());
    assertEquals(new InsufficientFundsException.Shortfall(100, 250), e.data());
  }

  @Test
  void uncheckedTypedErrorIsThrownAgain() {
    bank.closed = true;
    AccountClosedException e = assertThrows(AccountClosedException.class, () -> client.withdraw(1));
    assertEquals("account closed", e.getMessage());
  }

  @Test
  void asyncVariantCompletesWithTheTypedError() {
    CompletionException e = assertThrows(CompletionException.class, () -> client.withdrawAsync(250).join());
    InsufficientFundsException typed = assertInstanceOf(InsufficientFundsException.class, e.getCause());
    assertEquals(250, typed.data().requested());
  }

  @Test
  void asyncFunctionFailingItsFutureWithATypedErrorCompletesWithTheSameType() {
    bank.closed = true;
    CompletionException e = assertThrows(CompletionException.class, () -> client.depositLater(5).join());
    assertInstanceOf(AccountClosedException.class, e.getCause());
  }

  @Test
  void successfulCallsAreUnaffected() throws InsufficientFundsException {
    assertEquals(60, client.withdraw(40));
    assertEquals(65, client.depositLater(5).join());
  }

  @Test
  void typedErrorTravelsAsCodeMessageAndDataWithNoJavaDetails() {
    RemoteException e = assertThrows(RemoteException.class,
        () -> module.call("withdraw", Map.of("amount", 250), Long.class));
    assertEquals(4001, e.code());
    assertEquals("insufficient funds", e.getMessage());
    JsonNode data = e.data();
    assertEquals(100, data.get("balance").asLong());
    assertEquals(250, data.get("requested").asLong());
    assertEquals(2, data.size());
    assertFalse(data.toString().contains("Exception"), data.toString());
  }

  @Test
  void typedErrorThrownByAFunctionThatDoesNotDeclareItIsAGenericServerError() {
    RemoteException e = assertThrows(RemoteException.class, client::audit);
    assertEquals(RemoteException.SERVER_ERROR, e.code());
    assertEquals("Server error", e.getMessage());
  }

  @Test
  void unexpectedExceptionsMessageStaysOnTheServer() {
    RemoteException e = assertThrows(RemoteException.class, client::reconcile);
    assertEquals(RemoteException.SERVER_ERROR, e.code());
    assertEquals("Server error", e.getMessage());
    assertFalse(e.toString().contains("jdbc"), e.toString());
  }

  @Test
  void varargsTravelByNameFromTheStub() {
    assertEquals(7, client.total(1, 2, 4));
    assertEquals(0, client.total());
    assertEquals("a-b-c", client.join("-", "a", "b", "c"));
  }

  @Test
  void varargsTakeTheRestOfAPositionalCall() {
    assertEquals(7, module.call("total", List.of(1, 2, 4), Integer.class));
    assertEquals(0, module.call("total", List.of(), Integer.class));
    assertEquals("a+b", module.call("join", List.of("+", "a", "b"), String.class));
  }

  @Test
  void badElementOfARestParameterIsInvalidParamsNamingIt() {
    RemoteException e = assertThrows(RemoteException.class,
        () -> module.call("total", List.of(1, 2.5, 4), Integer.class));
    assertEquals(RemoteException.INVALID_PARAMS, e.code());
    assertTrue(e.getMessage().contains("'amounts'"), e.getMessage());
  }

  @Test
  void bigDecimalAndBigIntegerStayExactBothWays() {
    BigDecimal amount = new BigDecimal("0.1000000000000000000001");
    BigInteger factor = new BigInteger("100000000000000000000000");
    assertEquals(amount.multiply(new BigDecimal(factor)), client.scale(amount, factor));
  }

  @Test
  void clientOfAnInterfaceWithASessionFunctionIsThatInterface() {
    try (ClientModule own = ClientModule.builder(server.uri() + "/bank").build()) {
      Bank asInterface = new BankClient(own);
      assertEquals(1, asInterface.visits(null));
      assertEquals(2, asInterface.visits(null));
      assertEquals(3, new BankClient(own).visits());
    }
  }
}
