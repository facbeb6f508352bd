package dev.parley.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.FunctionDescriptor;
import dev.parley.RemoteException;
import dev.parley.RemoteFunctions;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FunctionsDispatchTest {
  private static Generated generated;

  @BeforeAll
  static void compile() {
    generated = Generated.of(Sources.join(Sources.CALCULATOR_IMPL, Sources.ACCOUNTS));
  }

  private static Object calculatorImpl() throws ReflectiveOperationException {
    return generated.load("test.CalculatorImpl").getConstructor().newInstance();
  }

  private static RemoteFunctions calculatorFunctions(Object impl) throws ReflectiveOperationException {
    Class<?> type = generated.load("test.CalculatorFunctions");
    return (RemoteFunctions) type.getConstructor(generated.load("test.Calculator")).newInstance(impl);
  }

  @SuppressWarnings("unchecked")
  private static List<String> log(Object impl) throws ReflectiveOperationException {
    return (List<String>) impl.getClass().getField("log").get(impl);
  }

  @Test
  void functionsIsAPublicFinalRemoteFunctions() {
    Class<?> type = generated.load("test.CalculatorFunctions");
    assertTrue(Modifier.isPublic(type.getModifiers()) && Modifier.isFinal(type.getModifiers()));
    assertTrue(RemoteFunctions.class.isAssignableFrom(type));
  }

  @Test
  void constructorRejectsANullImplementation() {
    var error = assertThrows(InvocationTargetException.class, () -> calculatorFunctions(null));
    assertInstanceOf(NullPointerException.class, error.getCause());
  }

  @Test
  void serviceNameIsTheQualifiedNameAndTheOpenRpcResourceFollows() throws Exception {
    RemoteFunctions functions = calculatorFunctions(calculatorImpl());
    assertEquals("test.Calculator", functions.serviceName());
    assertEquals("META-INF/parley/test.Calculator.openrpc.json", functions.openRpcResource());
    generated.resource(functions.openRpcResource());
  }

  @Test
  void functionsDescribeWireNamesSentParamsAndIdempotenceInDeclarationOrder() throws Exception {
    List<FunctionDescriptor> expected = List.of(
        new FunctionDescriptor("add", List.of("a", "b"), false),
        new FunctionDescriptor("history", List.of("limit"), true),
        new FunctionDescriptor("reset", List.of(), false),
        new FunctionDescriptor("calc.greet", List.of("name"), false),
        new FunctionDescriptor("ping", List.of(), false),
        new FunctionDescriptor("bars", List.of("kinds", "prefix"), false),
        new FunctionDescriptor("echo", List.of("data", "entries", "c"), false),
        new FunctionDescriptor("join", List.of("separator", "parts"), false, true));
    assertEquals(expected, calculatorFunctions(calculatorImpl()).functions());
  }

  @Test
  void invokeReadsEachArgumentByPositionNameAndTypeAndCallsTheImplementation() throws Exception {
    var args = new Fakes.RecordingArguments().with("a", 2).with("b", 5);
    Object result = calculatorFunctions(calculatorImpl()).invoke("add", args, new Fakes.FakeSession());
    assertEquals(7, result);
    assertEquals(List.of(new Fakes.Request(0, "a", int.class), new Fakes.Request(1, "b", int.class)), args.requests);
  }

  @Test
  void genericParameterTypesReachTheArgumentsWithTheirTypeArguments() throws Exception {
    var args = new Fakes.RecordingArguments().with("kinds", Set.of()).with("prefix", Optional.of("p"));
    Object result = calculatorFunctions(calculatorImpl()).invoke("bars", args, null);
    assertEquals(Set.of("p0"), ((Map<?, ?>) result).keySet());
    assertEquals("java.util.Set<test.Kind>", args.requests.get(0).type().getTypeName());
    assertEquals("java.util.Optional<java.lang.String>", args.requests.get(1).type().getTypeName());
  }

  @Test
  void arrayRecordAndCharParametersUseTheirClasses() throws Exception {
    Object impl = calculatorImpl();
    Object entries = java.lang.reflect.Array.newInstance(generated.load("test.Entry"), 2);
    byte[] data = {9};
    var args = new Fakes.RecordingArguments().with("data", data).with("entries", entries).with("c", 'z');
    Object result = calculatorFunctions(impl).invoke("echo", args, null);
    assertArrayEquals(data, (byte[]) result);
    assertEquals(List.of(byte[].class, entries.getClass(), char.class),
        args.requests.stream().map(Fakes.Request::type).toList());
    assertEquals(List.of("2z"), log(impl));
  }

  @Test
  void voidFunctionRunsAndReturnsNull() throws Exception {
    Object impl = calculatorImpl();
    assertNull(calculatorFunctions(impl).invoke("reset", new Fakes.RecordingArguments(), null));
    assertEquals(List.of("reset"), log(impl));
  }

  @Test
  void futureResultIsReturnedAsIsUnderItsWireName() throws Exception {
    Object impl = calculatorImpl();
    Object result = calculatorFunctions(impl).invoke("calc.greet", new Fakes.RecordingArguments().with("name", "bo"), null);
    assertSame(impl.getClass().getField("greeting").get(impl), result);
    assertEquals(List.of("bo"), log(impl));
  }

  @Test
  void javaNameOfARenamedFunctionIsNotAWireName() throws Exception {
    RemoteFunctions functions = calculatorFunctions(calculatorImpl());
    var error = assertThrows(RemoteException.class, () -> functions.invoke("greet", new Fakes.RecordingArguments(), null));
    assertEquals(RemoteException.METHOD_NOT_FOUND, error.code());
  }

  @Test
  void unknownFunctionThrowsMethodNotFoundNamingIt() throws Exception {
    RemoteFunctions functions = calculatorFunctions(calculatorImpl());
    var error = assertThrows(RemoteException.class, () -> functions.invoke("nope", new Fakes.RecordingArguments(), null));
    assertEquals(RemoteException.METHOD_NOT_FOUND, error.code());
    assertEquals("Method not found: nope", error.getMessage());
  }

  @Test
  void hugeUnknownNameIsTruncatedInTheMessage() throws Exception {
    RemoteFunctions functions = calculatorFunctions(calculatorImpl());
    String huge = "x".repeat(10_000);
    var error = assertThrows(RemoteException.class, () -> functions.invoke(huge, new Fakes.RecordingArguments(), null));
    assertEquals("Method not found: " + "x".repeat(100) + "...", error.getMessage());
  }

  @Test
  void sessionIsInjectedAndNeverReadFromTheArguments() throws Exception {
    Class<?> accounts = generated.load("test.Accounts");
    RemoteFunctions functions = (RemoteFunctions) generated.load("test.AccountsFunctions")
        .getConstructor(accounts).newInstance(accounts.getConstructor().newInstance());
    var session = new Fakes.FakeSession();
    var args = new Fakes.RecordingArguments().with("user", "ann");

    assertEquals("hello ann", functions.invoke("login", args, session));

    assertEquals("ann", session.attributes().get("user"));
    assertEquals(List.of(new Fakes.Request(0, "user", String.class)), args.requests);
  }

  @Test
  void positionsCountOnlySentParametersWhenTheSessionComesFirst() throws Exception {
    Class<?> accounts = generated.load("test.Accounts");
    RemoteFunctions functions = (RemoteFunctions) generated.load("test.AccountsFunctions")
        .getConstructor(accounts).newInstance(accounts.getConstructor().newInstance());
    var args = new Fakes.RecordingArguments().with("all", true);
    assertEquals(2L, functions.invoke("count", args, new Fakes.FakeSession()));
    assertEquals(List.of(new Fakes.Request(0, "all", boolean.class)), args.requests);
    assertEquals(List.of(new FunctionDescriptor("login", List.of("user"), false),
        new FunctionDescriptor("count", List.of("all"), true)), functions.functions());
  }

  @Test
  void exceptionsFromTheImplementationPropagate() throws Exception {
    Generated failing = Generated.of("test.Failing", """
        package test;
        public class Failing {
          @dev.parley.RemoteFunction public String fail() {
            throw new IllegalStateException("disk");
          }
        }
        """);
    Class<?> type = failing.load("test.Failing");
    RemoteFunctions functions = (RemoteFunctions) failing.load("test.FailingFunctions")
        .getConstructor(type).newInstance(type.getConstructor().newInstance());
    var error = assertThrows(IllegalStateException.class, () -> functions.invoke("fail", new Fakes.RecordingArguments(), null));
    assertEquals("disk", error.getMessage());
    assertNull(functions.applicationError("fail", error));
  }

  private static Exception thrownBy(RemoteFunctions functions, String prefix) {
    var args = new Fakes.RecordingArguments().with("kinds", Set.of()).with("prefix", Optional.of(prefix));
    return assertThrows(Exception.class, () -> functions.invoke("bars", args, null));
  }

  @Test
  void declaredCheckedTypedErrorIsAnsweredWithItsCodeMessageAndData() throws Exception {
    RemoteFunctions functions = calculatorFunctions(calculatorImpl());
    Exception refused = thrownBy(functions, "refuse");
    RemoteException answer = functions.applicationError("bars", refused);
    assertEquals(4001, answer.code());
    assertEquals("refused 0", answer.getMessage());
    assertEquals(dev.parley.internal.Json.MAPPER.readTree("{\"why\":\"too many\",\"limit\":0}"), answer.data());
  }

  @Test
  void declaredUncheckedTypedErrorWithoutDataIsAnsweredWithItsCodeAndMessage() throws Exception {
    RemoteFunctions functions = calculatorFunctions(calculatorImpl());
    RemoteException answer = functions.applicationError("bars", thrownBy(functions, "close"));
    assertEquals(4002, answer.code());
    assertEquals("closed", answer.getMessage());
    assertNull(answer.data());
  }

  @Test
  void typedErrorIsOnlyAnApplicationErrorOfTheFunctionsThatDeclareIt() throws Exception {
    RemoteFunctions functions = calculatorFunctions(calculatorImpl());
    Exception refused = thrownBy(functions, "refuse");
    assertNull(functions.applicationError("add", refused));
    assertNull(functions.applicationError("bars", new IllegalStateException("other")));
  }

  @Test
  void varargsParameterIsReadAsARestParameter() throws Exception {
    RemoteFunctions functions = calculatorFunctions(calculatorImpl());
    var args = new Fakes.RecordingArguments().with("separator", "-").with("parts", new String[] {"a", "b"});
    assertEquals("a-b", functions.invoke("join", args, null));
    assertEquals(List.of(new Fakes.Request(0, "separator", String.class), new Fakes.Request(1, "parts", String[].class, true)),
        args.requests);
    assertTrue(functions.functions().contains(new FunctionDescriptor("join", List.of("separator", "parts"), false, true)));
  }

  @Test
  void dispatcherUsesNoReflection() {
    String source = generated.source("test.CalculatorFunctions");
    assertTrue(source.contains("switch (function)"), source);
    assertTrue(!source.contains("java.lang.reflect.Method") && !source.contains("getMethod"), source);
  }

  @Test
  void recordEnumAndGenericTypesAreTheSameTypeOnBothSides() throws Exception {
    Generated copy = Generated.of(Sources.join(Sources.DATA, new String[] {"test.Copier", """
        package test;
        import java.util.List;
        import java.util.Map;
        public class Copier {
          @dev.parley.RemoteFunction public List<Entry> copy(List<Entry> entries) { return entries; }
          @dev.parley.RemoteFunction public Map<String, List<Bar>> group(Map<String, List<Bar>> groups) { return groups; }
          @dev.parley.RemoteFunction public Kind classify(Entry entry, Kind fallback) { return fallback; }
        }
        """}));
    Class<?> copier = copy.load("test.Copier");
    RemoteFunctions functions = (RemoteFunctions) copy.load("test.CopierFunctions")
        .getConstructor(copier).newInstance(copier.getConstructor().newInstance());
    Class<?> clientType = copy.load("test.CopierClient");
    var caller = new Fakes.RecordingCaller();
    Object client = clientType.getConstructor(dev.parley.RemoteCaller.class).newInstance(caller);
    var args = new Fakes.RecordingArguments();

    for (String name : List.of("copy", "group", "classify")) {
      functions.invoke(name, args, null);
    }
    clientType.getMethod("copy", List.class).invoke(client, List.of());
    clientType.getMethod("group", Map.class).invoke(client, Map.of());
    clientType.getMethod("classify", copy.load("test.Entry"), copy.load("test.Kind")).invoke(client, null, null);

    List<java.lang.reflect.Type> sent = args.requests.stream().map(Fakes.Request::type).toList();
    List<java.lang.reflect.Type> received = caller.calls.stream().map(Fakes.Call::resultType).toList();
    assertEquals(List.of(sent.get(0), sent.get(1), sent.get(3)), received);
    assertEquals("java.util.Map<java.lang.String, java.util.List<test.Bar>>", sent.get(1).getTypeName());
    assertEquals(List.of(copy.load("test.Entry"), copy.load("test.Kind")), sent.subList(2, 4));
  }
}
