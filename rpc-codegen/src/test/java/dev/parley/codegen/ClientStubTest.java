package dev.parley.codegen;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.RemoteCaller;
import dev.parley.RemoteException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClientStubTest {
  private static Generated generated;
  private static Class<?> calculatorClient;

  @BeforeAll
  static void compile() {
    generated = Generated.of(Sources.join(Sources.CALCULATOR, Sources.ACCOUNTS, Sources.SESSION_API));
    calculatorClient = generated.load("test.CalculatorClient");
  }

  private static Object client(Class<?> type, RemoteCaller caller) throws ReflectiveOperationException {
    return type.getConstructor(RemoteCaller.class).newInstance(caller);
  }

  private static Object call(Object target, String name, Object... args) throws Throwable {
    for (Method method : target.getClass().getMethods()) {
      if (method.getName().equals(name) && method.getParameterCount() == args.length) {
        try {
          return method.invoke(target, args);
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      }
    }
    throw new AssertionError("no method " + name + "/" + args.length + " on " + target.getClass());
  }

  @Test
  void generatedSourcesCompileWithoutWarnings() {
    assertThat(generated.compilation).succeededWithoutWarnings();
  }

  @Test
  void clientIsAPublicFinalClassThatImplementsTheInterface() {
    assertTrue(Modifier.isPublic(calculatorClient.getModifiers()));
    assertTrue(Modifier.isFinal(calculatorClient.getModifiers()));
    assertTrue(generated.load("test.Calculator").isAssignableFrom(calculatorClient));
  }

  @Test
  void constructorRejectsANullCaller() {
    var error = assertThrows(InvocationTargetException.class, () -> client(calculatorClient, null));
    assertInstanceOf(NullPointerException.class, error.getCause());
    assertEquals("caller == null", error.getCause().getMessage());
  }

  @Test
  void syncCallSendsParamsByNameInDeclarationOrderAndReturnsThePrimitive() throws Throwable {
    var caller = new Fakes.RecordingCaller().answering(3);
    Method add = calculatorClient.getMethod("add", int.class, int.class);
    assertEquals(int.class, add.getReturnType());

    Object result = add.invoke(client(calculatorClient, caller), 1, 2);

    assertEquals(3, result);
    Fakes.Call call = caller.only();
    assertEquals(new Fakes.Call("add", Map.of("a", 1, "b", 2), int.class, false, false), call);
    assertEquals(List.of("a", "b"), List.copyOf(((Map<?, ?>) call.params()).keySet()));
  }

  @Test
  void idempotentFlagIsPassedToTheCaller() throws Throwable {
    var caller = new Fakes.RecordingCaller().answering(List.of());
    call(client(calculatorClient, caller), "history", 5);
    assertTrue(caller.only().idempotent());
  }

  @Test
  void functionWithoutParamsSendsAnEmptyMapAndVoidIgnoresTheResult() throws Throwable {
    var caller = new Fakes.RecordingCaller();
    Object result = call(client(calculatorClient, caller), "reset");
    assertEquals(null, result);
    assertEquals(new Fakes.Call("reset", Map.of(), void.class, false, false), caller.only());
  }

  @Test
  void asyncVariantCallsCallAsyncWithTheBoxedResultType() throws Throwable {
    var caller = new Fakes.RecordingCaller();
    Method addAsync = calculatorClient.getMethod("addAsync", int.class, int.class);
    assertEquals(CompletableFuture.class, addAsync.getReturnType());
    assertEquals("java.util.concurrent.CompletableFuture<java.lang.Integer>", addAsync.getGenericReturnType().getTypeName());

    Object future = addAsync.invoke(client(calculatorClient, caller), 1, 2);

    assertSame(caller.future, future);
    assertEquals(new Fakes.Call("add", Map.of("a", 1, "b", 2), Integer.class, false, true), caller.only());
  }

  @Test
  void asyncVariantOfAVoidFunctionCompletesWithVoid() throws Throwable {
    var caller = new Fakes.RecordingCaller();
    call(client(calculatorClient, caller), "resetAsync");
    assertEquals(new Fakes.Call("reset", Map.of(), Void.class, false, true), caller.only());
    assertEquals("java.util.concurrent.CompletableFuture<java.lang.Void>",
        calculatorClient.getMethod("resetAsync").getGenericReturnType().getTypeName());
  }

  @Test
  void methodReturningAFutureIsAsyncItselfAndGetsNoExtraVariant() throws Throwable {
    var caller = new Fakes.RecordingCaller();
    Object future = call(client(calculatorClient, caller), "greet", "ann");

    assertSame(caller.future, future);
    assertEquals(new Fakes.Call("calc.greet", Map.of("name", "ann"), String.class, false, true), caller.only());
    assertFalse(Arrays.stream(calculatorClient.getMethods()).anyMatch(m -> m.getName().equals("greetAsync")));
    assertFalse(Arrays.stream(calculatorClient.getMethods()).anyMatch(m -> m.getName().equals("pingAsync")));
  }

  @Test
  void methodReturningACompletionStageDecodesItsTypeArgument() throws Throwable {
    var caller = new Fakes.RecordingCaller();
    assertEquals(CompletionStage.class, calculatorClient.getMethod("ping").getReturnType());
    call(client(calculatorClient, caller), "ping");
    assertEquals(new Fakes.Call("ping", Map.of(), Void.class, false, true), caller.only());
  }

  @Test
  void genericResultTypesArePassedWithTheirTypeArguments() throws Throwable {
    var caller = new Fakes.RecordingCaller();
    Object client = client(calculatorClient, caller);
    call(client, "history", 1);
    call(client, "bars", Set.of(), Optional.empty());
    assertEquals("java.util.List<test.Entry>", caller.calls.get(0).resultType().getTypeName());
    assertEquals("java.util.Map<java.lang.String, test.Bar>", caller.calls.get(1).resultType().getTypeName());
  }

  @Test
  void genericTypesAreKeptInPrivateStaticFinalFields() throws Exception {
    var field = calculatorClient.getDeclaredField("LIST_OF_ENTRY");
    int modifiers = field.getModifiers();
    assertTrue(Modifier.isPrivate(modifiers) && Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers));
    field.setAccessible(true);
    assertEquals("java.util.List<test.Entry>", ((java.lang.reflect.Type) field.get(null)).getTypeName());
  }

  @Test
  void arraysAndBytesAreSentAsTheyAre() throws Throwable {
    var caller = new Fakes.RecordingCaller();
    byte[] data = {1, 2};
    Object entries = java.lang.reflect.Array.newInstance(generated.load("test.Entry"), 0);
    call(client(calculatorClient, caller), "echo", data, entries, 'x');
    Map<?, ?> params = (Map<?, ?>) caller.only().params();
    assertSame(data, params.get("data"));
    assertSame(entries, params.get("entries"));
    assertEquals('x', params.get("c"));
    assertEquals(byte[].class, caller.only().resultType());
  }

  @Test
  void varargsStayVarargs() throws Exception {
    assertTrue(calculatorClient.getMethod("join", String.class, String[].class).isVarArgs());
  }

  @Test
  void declaredTypedErrorsAreKeptOnTheSyncMethodOnly() throws Exception {
    Method bars = calculatorClient.getMethod("bars", Set.class, Optional.class);
    Method barsAsync = calculatorClient.getMethod("barsAsync", Set.class, Optional.class);
    assertArrayEquals(new Class<?>[] {generated.load("test.Refused"), generated.load("test.Closed")},
        bars.getExceptionTypes());
    assertArrayEquals(new Class<?>[0], barsAsync.getExceptionTypes());
  }

  @Test
  void errorWithTheCodeOfACheckedTypedErrorIsThrownAsThatExceptionWithItsData() throws Throwable {
    var data = dev.parley.internal.Json.MAPPER.readTree("{\"why\":\"too many\",\"limit\":3}");
    var caller = new Fakes.RecordingCaller().failing(new RemoteException(4001, "refused 3", data));
    Throwable thrown = assertThrows(Throwable.class,
        () -> call(client(calculatorClient, caller), "bars", Set.of(), Optional.empty()));
    assertEquals(generated.load("test.Refused"), thrown.getClass());
    assertEquals("refused 3", thrown.getMessage());
    Object reason = thrown.getClass().getMethod("data").invoke(thrown);
    assertEquals("too many", reason.getClass().getMethod("why").invoke(reason));
    assertEquals(3, reason.getClass().getMethod("limit").invoke(reason));
  }

  @Test
  void errorWithTheCodeOfAnUncheckedTypedErrorIsThrownAsThatException() throws Throwable {
    var caller = new Fakes.RecordingCaller().failing(new RemoteException(4002, "closed"));
    Throwable thrown = assertThrows(Throwable.class,
        () -> call(client(calculatorClient, caller), "bars", Set.of(), Optional.empty()));
    assertEquals(generated.load("test.Closed"), thrown.getClass());
    assertEquals("closed", thrown.getMessage());
  }

  @Test
  void errorWithAnotherCodeIsThrownUnchanged() throws Throwable {
    RemoteException invalid = new RemoteException(RemoteException.INVALID_PARAMS, "Invalid params");
    var caller = new Fakes.RecordingCaller().failing(invalid);
    assertSame(invalid, assertThrows(RemoteException.class,
        () -> call(client(calculatorClient, caller), "bars", Set.of(), Optional.empty())));
  }

  @Test
  void typedErrorOfTheSameCodeFromAFunctionThatDoesNotDeclareItStaysARemoteException() throws Throwable {
    RemoteException refused = new RemoteException(4001, "refused");
    var caller = new Fakes.RecordingCaller().failing(refused);
    assertSame(refused, assertThrows(RemoteException.class, () -> call(client(calculatorClient, caller), "add", 1, 2)));
  }

  @Test
  void asyncVariantCompletesWithTheTypedError() throws Throwable {
    var caller = new Fakes.RecordingCaller();
    CompletableFuture<?> future = (CompletableFuture<?>) call(client(calculatorClient, caller), "barsAsync",
        Set.of(), Optional.empty());
    caller.future.completeExceptionally(new RemoteException(4002, "closed"));
    var error = assertThrows(java.util.concurrent.CompletionException.class, future::join);
    assertEquals(generated.load("test.Closed"), error.getCause().getClass());
  }

  @Test
  void cancellingTheAsyncVariantOfAFunctionWithTypedErrorsCancelsTheCall() throws Throwable {
    var caller = new Fakes.RecordingCaller();
    CompletableFuture<?> future = (CompletableFuture<?>) call(client(calculatorClient, caller), "barsAsync",
        Set.of(), Optional.empty());
    future.cancel(true);
    assertTrue(caller.future.isCancelled());
  }

  @Test
  void nullArgumentsAreSentAsNull() throws Throwable {
    var caller = new Fakes.RecordingCaller();
    call(client(calculatorClient, caller), "greet", (Object) null);
    Map<?, ?> params = (Map<?, ?>) caller.only().params();
    assertTrue(params.containsKey("name"));
    assertEquals(null, params.get("name"));
  }

  @Test
  void sessionParameterIsNotPartOfTheClientSignature() throws Throwable {
    Class<?> accountsClient = generated.load("test.AccountsClient");
    var caller = new Fakes.RecordingCaller().answering(7L);

    Object count = accountsClient.getMethod("count", boolean.class).invoke(client(accountsClient, caller), true);

    assertEquals(7L, count);
    assertEquals(new Fakes.Call("count", Map.of("all", true), long.class, true, false), caller.only());
    assertEquals(String.class, accountsClient.getMethod("login", String.class).getReturnType());
  }

  @Test
  void clientOfAClassDoesNotExtendIt() {
    Class<?> accountsClient = generated.load("test.AccountsClient");
    assertEquals(Object.class, accountsClient.getSuperclass());
    assertEquals(0, accountsClient.getInterfaces().length);
  }

  @Test
  void clientOfAnInterfaceWithASessionFunctionImplementsIt() {
    Class<?> profileClient = generated.load("test.ProfileClient");
    assertTrue(generated.load("test.Profile").isAssignableFrom(profileClient));
  }

  @Test
  void sessionArgumentOfTheInterfacesSignatureIsIgnored() throws Throwable {
    Class<?> profileClient = generated.load("test.ProfileClient");
    var caller = new Fakes.RecordingCaller().answering("ann");
    Object client = client(profileClient, caller);

    Object viaInterface = profileClient.getMethod("whoAmI", dev.parley.Session.class)
        .invoke(client, new Fakes.FakeSession());
    Object direct = profileClient.getMethod("whoAmI").invoke(client);

    assertEquals("ann", viaInterface);
    assertEquals("ann", direct);
    assertEquals(List.of(new Fakes.Call("whoAmI", Map.of(), String.class, false, false),
        new Fakes.Call("whoAmI", Map.of(), String.class, false, false)), caller.calls);
  }

  @Test
  void sessionFunctionWhoseShorterSignatureIsTakenKeepsOnlyTheSessionSignature() throws Throwable {
    Generated both = Generated.of("test.Both", """
        package test;
        import dev.parley.RemoteFunction;
        import dev.parley.Session;
        public interface Both {
          @RemoteFunction(name = "mine") String name(Session session);
          @RemoteFunction(name = "theirs") String name();
        }
        """);
    Class<?> clientType = both.load("test.BothClient");
    var caller = new Fakes.RecordingCaller().answering("x");
    Object client = client(clientType, caller);
    clientType.getMethod("name", dev.parley.Session.class).invoke(client, (Object) null);
    clientType.getMethod("name").invoke(client);
    assertEquals(List.of("mine", "theirs"), caller.calls.stream().map(Fakes.Call::function).toList());
    assertTrue(both.load("test.Both").isAssignableFrom(clientType));
  }

  @Test
  void clientOfAnInterfaceWithAnAbstractNonRemoteMethodDoesNotImplementIt() {
    Generated partial = Generated.of("test.Partial", """
        package test;
        public interface Partial {
          @dev.parley.RemoteFunction String remote();
          String local();
        }
        """);
    assertEquals(0, partial.load("test.PartialClient").getInterfaces().length);
    assertTrue(partial.source("test.PartialClient").contains("its method local is not a @RemoteFunction of Partial"));
  }

  @Test
  void interfaceRedeclaringObjectMethodsIsStillImplemented() {
    Generated named = Generated.of("test.Named", """
        package test;
        public interface Named {
          @dev.parley.RemoteFunction String name();
          @Override String toString();
        }
        """);
    assertTrue(named.load("test.Named").isAssignableFrom(named.load("test.NamedClient")));
  }

  @Test
  void parameterNamedParamsDoesNotClashWithTheGeneratedLocal() throws Throwable {
    Generated clash = Generated.of("test.Clash", """
        package test;
        public interface Clash {
          @dev.parley.RemoteFunction String send(String params, String caller);
        }
        """);
    Class<?> clientType = clash.load("test.ClashClient");
    var caller = new Fakes.RecordingCaller().answering("ok");
    assertEquals("ok", call(client(clientType, caller), "send", "p", "c"));
    assertEquals(Map.of("params", "p", "caller", "c"), caller.only().params());
  }

  @Test
  void generatedFilesCarryTheGeneratedAnnotationAndJavadoc() {
    String source = generated.source("test.CalculatorClient");
    assertTrue(source.contains("@Generated(\"dev.parley.codegen.RemoteFunctionProcessor\")"), source);
    assertTrue(source.contains("@SuppressWarnings(\"deprecation\")"), source);
    assertTrue(source.contains("Client stub for the remote functions of {@link Calculator}"), source);
  }

  @Test
  void generatedSourcesAreTheSameOnEveryCompilation() {
    Generated again = Generated.of(Sources.join(Sources.CALCULATOR, Sources.ACCOUNTS, Sources.SESSION_API));
    assertEquals(generated.source("test.CalculatorClient"), again.source("test.CalculatorClient"));
    assertEquals(generated.source("test.CalculatorFunctions"), again.source("test.CalculatorFunctions"));
  }

  @Test
  void typedErrorNestedInTheApiInterfaceIsThrownAgain() throws Throwable {
    Generated nested = Generated.of("test.Vault", """
        package test;
        import dev.parley.RemoteError;
        import dev.parley.RemoteFunction;
        public interface Vault {
          @RemoteError(code = 7)
          class Locked extends RuntimeException {
            private static final long serialVersionUID = 1L;
            public Locked(String message) { super(message); }
          }
          @RemoteFunction String open(String code) throws Locked;
        }
        """);
    Class<?> clientType = nested.load("test.VaultClient");
    var caller = new Fakes.RecordingCaller().failing(new RemoteException(7, "locked"));
    Throwable thrown = assertThrows(Throwable.class, () -> call(client(clientType, caller), "open", "1234"));
    assertEquals(nested.load("test.Vault$Locked"), thrown.getClass());
  }
}
