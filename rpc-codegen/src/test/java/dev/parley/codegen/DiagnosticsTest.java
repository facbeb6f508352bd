package dev.parley.codegen;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiagnosticsTest {
  private static JavaFileObject source(String body) {
    return JavaFileObjects.forSourceString("test.Api", """
        package test;

        import dev.parley.RemoteFunction;
        import dev.parley.Session;
        import java.util.*;

        """ + body);
  }

  private static Compilation compile(JavaFileObject... files) {
    return javac().withProcessors(new RemoteFunctionProcessor()).withOptions("-Xlint:all,-processing").compile(files);
  }

  /** Asserts exactly one error, containing {@code message}, reported on the line containing {@code line}. */
  private static void assertOneError(String body, String message, String line) {
    JavaFileObject file = source(body);
    Compilation compilation = compile(file);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining(message).inFile(file).onLineContaining(line);
  }

  @Test
  void overloadedFunctionsAreReportedOnTheSecondOverload() {
    assertOneError("""
        public interface Api {
          @RemoteFunction int add(int a, int b);
          @RemoteFunction double add(double a, double b);
        }
        """, "Duplicate remote function name 'add': add(int, int) already uses it", "double add(");
  }

  @Test
  void overloadsWithDistinctWireNamesAreAccepted() {
    Compilation compilation = compile(source("""
        public interface Api {
          @RemoteFunction int add(int a, int b);
          @RemoteFunction(name = "addDoubles") double add(double a, double b);
        }
        """));
    assertThat(compilation).succeededWithoutWarnings();
  }

  @Test
  void explicitNameClashingWithAnotherFunctionIsReported() {
    assertOneError("""
        public interface Api {
          @RemoteFunction int sum(int a, int b);
          @RemoteFunction(name = "sum") int total(int a);
        }
        """, "Duplicate remote function name 'sum'", "int total(");
  }

  @Test
  void nonPublicMethodIsReported() {
    assertOneError("""
        public class Api {
          @RemoteFunction String hidden() { return ""; }
        }
        """, "A @RemoteFunction method must be public", "String hidden()");
  }

  @Test
  void staticMethodIsReported() {
    assertOneError("""
        public class Api {
          @RemoteFunction public static String shared() { return ""; }
        }
        """, "A @RemoteFunction method must not be static", "static String shared()");
  }

  @Test
  void genericMethodIsReported() {
    assertOneError("""
        public interface Api {
          @RemoteFunction <T> T pick(List<T> items);
        }
        """, "A @RemoteFunction method must not be generic", "T pick(");
  }

  @Test
  void wireNameReservedByJsonRpcIsReported() {
    assertOneError("""
        public interface Api {
          @RemoteFunction(name = "rpc.discover") String discover();
        }
        """, "starts with 'rpc.', which JSON-RPC 2.0 reserves", "String discover()");
  }

  @Test
  void blankWireNameIsReported() {
    assertOneError("""
        public interface Api {
          @RemoteFunction(name = " ") String spaced();
        }
        """, "must not be blank", "String spaced()");
  }

  @Test
  void secondSessionParameterIsReportedOnThatParameter() {
    assertOneError("""
        public interface Api {
          @RemoteFunction String twice(Session first,
              Session second);
        }
        """, "at most one Session parameter; 'first' is already one", "Session second");
  }

  @Test
  void optionalParameterBeforeARequiredOneIsReportedOnTheOptionalOne() {
    assertOneError("""
        public interface Api {
          @RemoteFunction String find(
              Optional<String> prefix,
              int limit);
        }
        """, "Optional parameter 'prefix' must come after the required parameters, but required parameter"
        + " 'limit' follows it", "Optional<String> prefix");
  }

  @Test
  void secondCallContextParameterIsReportedOnThatParameter() {
    assertOneError("""
        public interface Api {
          @RemoteFunction String twice(dev.parley.CallContext first,
              dev.parley.CallContext second);
        }
        """, "at most one CallContext parameter; 'first' is already one", "CallContext second");
  }

  @Test
  void aCallContextInsideAnotherTypeIsReportedOnTheParameter() {
    assertOneError("""
        public interface Api {
          @RemoteFunction String all(
              List<dev.parley.CallContext> calls);
        }
        """, "CallContext is only supported as a direct parameter", "List<dev.parley.CallContext> calls");
  }

  @Test
  void optionalParametersAfterTheRequiredOnesAndAroundASessionAreAccepted() {
    assertThat(compile(source("""
        public interface Api {
          @RemoteFunction String find(int limit, Optional<String> prefix, Session session, Optional<Integer> page);
        }
        """))).succeededWithoutWarnings();
  }

  @Test
  void checkedExceptionThatIsNotATypedErrorIsReported() {
    assertOneError("""
        public interface Api {
          @RemoteFunction String read(String path)
              throws java.io.IOException;
        }
        """, "Remote function 'read' declares checked exception IOException, which its client can never throw",
        "String read(");
  }

  @Test
  void uncheckedExceptionThatIsNotATypedErrorIsReported() {
    assertOneError("""
        public interface Api {
          @RemoteFunction String parse(String text) throws IllegalArgumentException;
        }
        """, "declares IllegalArgumentException, which its client can never throw", "String parse(");
  }

  @Test
  void parleysOwnExceptionsMayBeDeclared() {
    assertThat(compile(source("""
        public interface Api {
          @RemoteFunction String call() throws dev.parley.RemoteException, dev.parley.TransportException;
        }
        """))).succeededWithoutWarnings();
  }

  @Test
  void defaultMethodIsReported() {
    assertOneError("""
        public interface Api {
          @RemoteFunction default String hello() { return "local"; }
        }
        """, "A @RemoteFunction method must not be a default method", "default String hello()");
  }

  private static ExceptionSource errorType(String name, String body) {
    return new ExceptionSource(JavaFileObjects.forSourceString("test." + name, """
        package test;
        import dev.parley.RemoteError;
        """ + body));
  }

  /** An exception source next to the Api source. */
  private record ExceptionSource(JavaFileObject file) {}

  private static Compilation compileWithError(String exceptionName, String exceptionBody, String apiBody) {
    return compile(errorType(exceptionName, exceptionBody).file(), source(apiBody));
  }

  /**
   * Compiles the error type {@code exceptionName} with a function {@code call()} that throws it,
   * and asserts the compilation fails with one error, containing {@code expected}.
   */
  private static void assertTheOnlyErrorOfAFunctionThrowing(String exceptionName, String exceptionBody,
      String expected) {
    Compilation compilation = compileWithError(exceptionName, exceptionBody,
        "public interface Api {\n  @RemoteFunction String call() throws " + exceptionName + ";\n}\n");
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining(expected);
  }

  @Test
  void typedErrorWithAReservedCodeIsReportedOnTheExceptionOnly() {
    ExceptionSource exception = errorType("Bad", """
        @RemoteError(code = -32001)
        public class Bad extends RuntimeException {
          public Bad(String message) { super(message); }
        }
        """);
    Compilation compilation = compile(exception.file(), source("""
        public interface Api {
          @RemoteFunction String call() throws Bad;
        }
        """));
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("@RemoteError type Bad uses code -32001, which JSON-RPC 2.0 reserves")
        .inFile(exception.file()).onLineContaining("public class Bad");
  }

  @Test
  void typedErrorWithoutTheConstructorTheClientNeedsIsReported() {
    assertTheOnlyErrorOfAFunctionThrowing("NoData", """
        @RemoteError(code = 7)
        public class NoData extends Exception {
          public NoData() { super("fixed"); }
        }
        """,
        "@RemoteError type NoData needs a public constructor (String message)");
  }

  @Test
  void typedErrorWithDataNeedsAConstructorTakingTheData() {
    assertTheOnlyErrorOfAFunctionThrowing("WithData", """
        @RemoteError(code = 7)
        public class WithData extends Exception {
          public WithData(String message) { super(message); }
          public java.util.List<String> data() { return java.util.List.of(); }
        }
        """,
        "@RemoteError type WithData needs a public constructor (String message, List<String> data)");
  }

  @Test
  void typedErrorWithPrimitiveDataIsReported() {
    assertTheOnlyErrorOfAFunctionThrowing("Counted", """
        @RemoteError(code = 7)
        public class Counted extends RuntimeException {
          public Counted(String message, int data) { super(message); }
          public int data() { return 1; }
        }
        """,
        "has a data() method returning int: return a reference type");
  }

  @Test
  void typedErrorThatIsAnRpcExceptionIsReported() {
    Compilation compilation = compileWithError("Remote", """
        @RemoteError(code = 7)
        public class Remote extends dev.parley.RemoteException {
          public Remote(String message) { super(7, message); }
        }
        """, """
        public interface Api {
          @RemoteFunction String call();
        }
        """);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("@RemoteError type Remote must not extend RpcException");
  }

  @Test
  void twoTypedErrorsWithTheSameCodeOnOneFunctionAreReported() {
    JavaFileObject first = JavaFileObjects.forSourceString("test.First", """
        package test;
        @dev.parley.RemoteError(code = 9)
        public class First extends RuntimeException { public First(String message) { super(message); } }
        """);
    JavaFileObject second = JavaFileObjects.forSourceString("test.Second", """
        package test;
        @dev.parley.RemoteError(code = 9)
        public class Second extends RuntimeException { public Second(String message) { super(message); } }
        """);
    JavaFileObject api = source("""
        public interface Api {
          @RemoteFunction String call() throws First, Second;
        }
        """);
    Compilation compilation = compile(first, second, api);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("declares First and Second with the same code 9")
        .inFile(api).onLineContaining("String call()");
  }

  @Test
  void typedErrorsOfTheRightShapeCompileWithoutWarnings() {
    Compilation compilation = compileWithError("Fine", """
        @RemoteError(code = 4001)
        public class Fine extends Exception {
          private static final long serialVersionUID = 1L;
          public record Why(String reason) {}
          private final Why data;
          public Fine(String message, Why data) { super(message); this.data = data; }
          public Why data() { return data; }
        }
        """, """
        public interface Api {
          @RemoteFunction String call(int... values) throws Fine;
        }
        """);
    assertThat(compilation).succeededWithoutWarnings();
  }

  @Test
  void processorClaimsItsAnnotationsSoAStrictLintBuildPasses() {
    JavaFileObject exception = JavaFileObjects.forSourceString("test.Closed", """
        package test;
        /** Closed. */
        @dev.parley.RemoteError(code = 4002)
        public class Closed extends RuntimeException {
          private static final long serialVersionUID = 1L;
          /** Creates it. */
          public Closed(String message) { super(message); }
        }
        """);
    JavaFileObject api = JavaFileObjects.forSourceString("test.Api", """
        package test;
        /** An API. */
        public interface Api {
          /** Hello. */
          @dev.parley.RemoteFunction String hello(String name) throws Closed;
        }
        """);
    Compilation compilation = javac().withProcessors(new RemoteFunctionProcessor())
        .withOptions("-Xlint:all", "-Werror").compile(exception, api);
    assertThat(compilation).succeededWithoutWarnings();
  }

  @Test
  void objectParameterIsReportedOnTheParameter() {
    assertOneError("""
        public interface Api {
          @RemoteFunction String store(String key,
              Object value);
        }
        """, "Parameter 'value' has an unsupported type: Object is not supported", "Object value");
  }

  @Test
  void rawTypeIsReported() {
    assertOneError("""
        public interface Api {
          @RemoteFunction String sizes(
              @SuppressWarnings("rawtypes") List items);
        }
        """, "raw type List is not supported", "List items");
  }

  @Test
  void wildcardTypeIsReported() {
    assertOneError("""
        public interface Api {
          @RemoteFunction String sizes(
              List<? extends Number> items);
        }
        """, "wildcard type ? extends java.lang.Number is not supported", "List<? extends Number> items");
  }

  @Test
  void genericTypeIsReportedOnTheType() {
    assertOneError("""
        public interface Api<T> {
          @RemoteFunction String size(int n);
        }
        """, "must not have type parameters", "interface Api<T>");
  }

  @Test
  void classParameterIsReported() {
    assertOneError("""
        public interface Api {
          @RemoteFunction String load(
              Class<String> type);
        }
        """, "java.lang.Class is not supported: it cannot be sent as JSON", "Class<String> type");
  }

  @Test
  void threadParameterIsReported() {
    assertOneError("""
        public interface Api {
          @RemoteFunction String join(
              Thread thread);
        }
        """, "java.lang.Thread is not supported", "Thread thread");
  }

  @Test
  void streamParameterIsReported() {
    assertOneError("""
        public interface Api {
          @RemoteFunction long count(
              java.util.stream.Stream<String> items);
        }
        """, "java.util.stream.Stream is not supported: it cannot be sent as JSON", "Stream<String> items");
  }

  @Test
  void inputStreamParameterIsReported() {
    assertOneError("""
        public interface Api {
          @RemoteFunction long upload(
              java.io.InputStream in);
        }
        """, "java.io.InputStream is not supported", "InputStream in");
  }

  @Test
  void futureParameterIsReported() {
    assertOneError("""
        public interface Api {
          @RemoteFunction String await(
              java.util.concurrent.CompletableFuture<String> later);
        }
        """, "java.util.concurrent.CompletableFuture is not supported", "CompletableFuture<String> later");
  }

  @Test
  void functionalInterfaceParameterIsReported() {
    assertOneError("""
        public interface Api {
          @RemoteFunction String apply(
              java.util.function.Function<String, String> f);
        }
        """, "interface Function is not supported (a functional interface is code, not data)", "Function<String, String> f");
  }

  @Test
  void sessionInsideACollectionIsReported() {
    assertOneError("""
        public interface Api {
          @RemoteFunction String all(
              List<Session> sessions);
        }
        """, "Session is only supported as a direct parameter", "List<Session> sessions");
  }

  @Test
  void unsupportedReturnTypeIsReportedOnTheMethod() {
    assertOneError("""
        public interface Api {
          @RemoteFunction Object anything();
        }
        """, "The return type of @RemoteFunction method 'anything' is not supported: Object", "Object anything()");
  }

  @Test
  void mapWithUnsupportedKeysIsReported() {
    assertOneError("""
        public interface Api {
          @RemoteFunction String index(
              Map<Double, String> byScore);
        }
        """, "map key type java.lang.Double is not supported", "Map<Double, String> byScore");
  }

  @Test
  void unsupportedPropertyInsideARecordIsReportedWithItsPath() {
    assertOneError("""
        public interface Api {
          record Job(String name, Thread worker) {}
          @RemoteFunction String submit(
              List<Job> jobs);
        }
        """, "java.lang.Thread is not supported: it cannot be sent as JSON (in Job.worker)", "List<Job> jobs");
  }

  @Test
  void classWithoutACreatorIsReported() {
    assertOneError("""
        public interface Api {
          final class Point {
            public final int x;
            public Point(int x) { this.x = x; }
          }
          @RemoteFunction String draw(
              Point point);
        }
        """, "Point has no no-argument constructor and no @JsonCreator constructor", "Point point");
  }

  @Test
  void privateNestedTypeIsReportedOnTheType() {
    assertOneError("""
        public class Api {
          private interface Hidden {
            @RemoteFunction String secret();
          }
        }
        """, "must not be private", "interface Hidden");
  }

  @Test
  void innerClassIsReportedOnTheType() {
    assertOneError("""
        public class Api {
          public class Inner {
            @RemoteFunction public String hello() { return "hi"; }
          }
        }
        """, "must not be an inner (non-static) class: make Inner static", "class Inner");
  }

  @Test
  void enumDeclaringFunctionsIsReportedOnTheEnum() {
    assertOneError("""
        public enum Api {
          ONE;
          @RemoteFunction public String hello() { return "hi"; }
        }
        """, "must be declared in a class or interface, not in an enum", "enum Api");
  }

  @Test
  void everyProblemOfATypeIsReportedInOneCompilation() {
    Compilation compilation = compile(source("""
        public class Api {
          @RemoteFunction String hidden() { return ""; }
          @RemoteFunction public static String shared() { return ""; }
        }
        """));
    assertThat(compilation).hadErrorCount(2);
  }

  @Test
  void typeWithErrorsGetsNoGeneratedFilesWhileACorrectTypeStillDoes(@TempDir Path out) throws IOException {
    // compile-testing hides generated files of a failed compilation, so this runs javac itself.
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    JavaFileObject broken = source("""
        public interface Api {
          @RemoteFunction int add(int a, int b);
          @RemoteFunction Object anything();
        }
        """);
    JavaFileObject fine = JavaFileObjects.forSourceString("test.Fine", """
        package test;
        public interface Fine {
          @dev.parley.RemoteFunction int add(int a, int b);
        }
        """);
    JavaCompiler.CompilationTask task = javac.getTask(null, null, diagnostics,
        List.of("-proc:only", "-d", out.toString(), "-s", out.toString()), null, List.of(broken, fine));
    task.setProcessors(List.of(new RemoteFunctionProcessor()));

    assertFalse(task.call());

    try (Stream<Path> files = Files.walk(out)) {
      List<String> generated = files.filter(Files::isRegularFile).map(p -> out.relativize(p).toString()).sorted().toList();
      assertEquals(List.of("META-INF/parley/test.Fine.openrpc.json", "test/FineClient.java", "test/FineFunctions.java"),
          generated);
    }
  }

  @Test
  void nestedStaticTypeGetsFilesNamedAfterItsEnclosingTypes() {
    Compilation compilation = compile(source("""
        public class Api {
          public interface Inner {
            @RemoteFunction String hello();
          }
        }
        """));
    assertThat(compilation).succeededWithoutWarnings();
    assertTrue(compilation.generatedSourceFile("test.Api_InnerClient").isPresent());
    assertTrue(compilation.generatedSourceFile("test.Api_InnerFunctions").isPresent());
    assertTrue(compilation.generatedFile(StandardLocation.CLASS_OUTPUT, "META-INF/parley/test.Api.Inner.openrpc.json").isPresent());
  }

  @Test
  void clashWithAnExistingClientClassIsReportedOnTheType() {
    JavaFileObject existing = JavaFileObjects.forSourceString("test.ApiClient", "package test; public class ApiClient {}");
    JavaFileObject api = source("""
        public interface Api {
          @RemoteFunction String hello();
        }
        """);
    Compilation compilation = compile(api, existing);
    assertThat(compilation).hadErrorContaining("Could not write the generated files for Api").inFile(api)
        .onLineContaining("interface Api");
  }

  @Test
  void typeGeneratedByAnotherProcessorInALaterRoundIsAccepted() {
    // A processor that generates test.Later in its first round: Api refers to it before it exists.
    javax.annotation.processing.Processor generator = new javax.annotation.processing.AbstractProcessor() {
      private boolean done;

      @Override
      public java.util.Set<String> getSupportedAnnotationTypes() {
        return java.util.Set.of("*");
      }

      @Override
      public javax.lang.model.SourceVersion getSupportedSourceVersion() {
        return javax.lang.model.SourceVersion.latestSupported();
      }

      @Override
      public boolean process(java.util.Set<? extends javax.lang.model.element.TypeElement> annotations,
          javax.annotation.processing.RoundEnvironment round) {
        if (!done) {
          done = true;
          try (var writer = processingEnv.getFiler().createSourceFile("test.Later").openWriter()) {
            writer.write("package test; public record Later(String value) {}");
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
        return false;
      }
    };
    // The generator comes first: Parley's processor claims @RemoteFunction, so a processor for "*"
    // listed after it would not be asked in this round (docs/CODEGEN.md).
    Compilation compilation = javac()
        .withProcessors(generator, new RemoteFunctionProcessor())
        .withOptions("-Xlint:all,-processing")
        .compile(source("""
            public interface Api {
              @RemoteFunction Later later(Later in);
            }
            """));
    assertThat(compilation).succeededWithoutWarnings();
    assertTrue(compilation.generatedSourceFile("test.ApiClient").isPresent());
  }

  @Test
  void errorsAreErrorsNotWarnings() {
    Compilation compilation = compile(source("""
        public interface Api {
          @RemoteFunction(name = "rpc.x") String x();
        }
        """));
    assertEquals(Diagnostic.Kind.ERROR, compilation.errors().get(0).getKind());
  }
}
