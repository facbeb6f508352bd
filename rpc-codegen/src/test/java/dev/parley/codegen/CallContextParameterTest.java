package dev.parley.codegen;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.CallContext;
import dev.parley.FunctionDescriptor;
import dev.parley.RemoteCaller;
import dev.parley.RemoteFunctions;
import dev.parley.Session;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A {@code CallContext} parameter is recognised exactly like a {@code Session} one (injected by the
 * server, never sent, not in the descriptor, the client or the OpenRPC document), and every client
 * stub can make a copy of itself with a per-call timeout.
 */
class CallContextParameterTest {
  private static final String AUDITED = """
      package test;

      import dev.parley.CallContext;
      import dev.parley.RemoteFunction;
      import dev.parley.Session;

      public interface Audited {
        @RemoteFunction String who(CallContext call, int times);
        @RemoteFunction String both(String prefix, Session session, CallContext call);
      }
      """;
  private static final String AUDITED_IMPL = """
      package test;

      import dev.parley.CallContext;
      import dev.parley.Session;

      public class AuditedImpl implements Audited {
        public String who(CallContext call, int times) {
          return call.function().repeat(times);
        }

        public String both(String prefix, Session session, CallContext call) {
          return prefix + session.id() + call.modulePath();
        }
      }
      """;
  private static Generated generated;

  @BeforeAll
  static void compile() {
    generated = Generated.of("test.Audited", AUDITED, "test.AuditedImpl", AUDITED_IMPL);
  }

  /** A CallContext whose function is "who" and module path "/m" (other methods: unused here). */
  private static CallContext context() {
    return (CallContext) Proxy.newProxyInstance(CallContext.class.getClassLoader(), new Class<?>[] {CallContext.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "function" -> "who";
          case "modulePath" -> "/m";
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  private static RemoteFunctions functions() throws ReflectiveOperationException {
    Class<?> impl = generated.load("test.AuditedImpl");
    return (RemoteFunctions) generated.load("test.AuditedFunctions").getConstructor(generated.load("test.Audited"))
        .newInstance(impl.getConstructor().newInstance());
  }

  @Test
  void theGeneratedSourcesCompileWithoutWarnings() {
    assertThat(generated.compilation).succeededWithoutWarnings();
  }

  @Test
  void theDispatcherHandsTheArgumentsCallContextToTheParameter() throws Exception {
    CallContext call = context();
    var args = new Fakes.RecordingArguments().with("times", 2).withContext(call);
    assertEquals("whowho", functions().invoke("who", args, new Fakes.FakeSession()));
    assertEquals(List.of(new Fakes.Request(0, "times", int.class)), args.requests, "position 0: the context is not sent");
  }

  @Test
  void aFunctionMayTakeBothTheSessionAndTheCallContext() throws Exception {
    var args = new Fakes.RecordingArguments().with("prefix", ">").withContext(context());
    assertEquals(">s1/m", functions().invoke("both", args, new Fakes.FakeSession()));
  }

  @Test
  void theDescriptorsListOnlyTheSentParameters() throws Exception {
    assertEquals(List.of(new FunctionDescriptor("who", List.of("times"), false),
        new FunctionDescriptor("both", List.of("prefix"), false)), functions().functions());
  }

  @Test
  void theClientLeavesTheCallContextOutAndImplementsTheInterfaceIgnoringIt() throws Exception {
    Class<?> client = generated.load("test.AuditedClient");
    assertTrue(generated.load("test.Audited").isAssignableFrom(client));
    var caller = new Fakes.RecordingCaller().answering("x");
    Object stub = client.getConstructor(RemoteCaller.class).newInstance(caller);
    client.getMethod("who", int.class).invoke(stub, 3);
    client.getMethod("who", CallContext.class, int.class).invoke(stub, null, 4);
    client.getMethod("both", String.class).invoke(stub, "p");
    client.getMethod("both", String.class, Session.class, CallContext.class).invoke(stub, "q", null, null);
    assertEquals(List.of(Map.of("times", 3), Map.of("times", 4), Map.of("prefix", "p"), Map.of("prefix", "q")),
        caller.calls.stream().map(Fakes.Call::params).toList());
  }

  @Test
  void theOpenRpcDocumentDoesNotListTheCallContext() throws Exception {
    JsonNode methods = new ObjectMapper().readTree(generated.resource("META-INF/parley/test.Audited.openrpc.json"))
        .get("methods");
    assertEquals("times", methods.get(0).get("params").get(0).get("name").asText());
    assertEquals(1, methods.get(0).get("params").size());
    assertEquals(1, methods.get(1).get("params").size());
  }

  @Test
  void withTimeoutReturnsANewStubOverTheCallersTimeoutView() throws Exception {
    Class<?> client = generated.load("test.AuditedClient");
    var caller = new Fakes.RecordingCaller().answering("x");
    Object stub = client.getConstructor(RemoteCaller.class).newInstance(caller);
    Method withTimeout = client.getMethod("withTimeout", Duration.class);
    assertSame(client, withTimeout.getReturnType());
    Object timed = withTimeout.invoke(stub, Duration.ofMillis(250));
    assertNotSame(stub, timed);
    client.getMethod("who", int.class).invoke(timed, 1);
    assertEquals(List.of(Duration.ofMillis(250)), caller.timeouts);
    assertEquals(1, caller.views.get(0).calls.size(), "the call went through the view");
    assertTrue(caller.calls.isEmpty(), "not through the original caller");
  }

  @Test
  void withTimeoutIsLeftOutWhenTheTypeHasAMethodOfThatSignature() {
    Generated clash = Generated.of("test.Clash", """
        package test;
        import dev.parley.RemoteFunction;
        public interface Clash {
          @RemoteFunction String withTimeout(java.time.Duration timeout);
        }
        """);
    Class<?> client = clash.load("test.ClashClient");
    assertEquals(String.class, find(client).getReturnType(), "the remote function, not the stub's copy");
    Generated inherited = Generated.of("test.Base", """
        package test;
        public interface Base {
          default Base withTimeout(java.time.Duration timeout) { return this; }
        }
        """, "test.Child", """
        package test;
        public interface Child extends Base {
          @dev.parley.RemoteFunction String name();
        }
        """);
    Class<?> child = inherited.load("test.ChildClient");
    assertFalse(Arrays.stream(child.getDeclaredMethods()).anyMatch(m -> m.getName().equals("withTimeout")));
    assertTrue(inherited.load("test.Child").isAssignableFrom(child));
  }

  private static Method find(Class<?> client) {
    try {
      return client.getMethod("withTimeout", Duration.class);
    } catch (NoSuchMethodException e) {
      throw new AssertionError(e);
    }
  }
}
