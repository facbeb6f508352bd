package dev.parley.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import javax.annotation.processing.Processor;
import javax.lang.model.SourceVersion;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessorRegistrationTest {
  @Test
  void processorIsRegisteredForTheServiceLoader() {
    assertTrue(ServiceLoader.load(Processor.class).stream()
        .anyMatch(provider -> provider.type() == RemoteFunctionProcessor.class));
  }

  @Test
  void processorIsFoundOnTheClassPathWithoutBeingNamed(@TempDir Path out) throws IOException {
    // javac itself, given no processors: it discovers them through META-INF/services on the class
    // path, as a Maven build with rpc-codegen as a provided dependency does.
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    JavaFileObject hello = JavaFileObjects.forSourceString("test.Hello", """
        package test;
        public interface Hello {
          @dev.parley.RemoteFunction String hello(String name);
        }
        """);
    boolean ok = compiler.getTask(null, null, null,
        List.of("-proc:only", "-d", out.toString(), "-s", out.toString()), null, List.of(hello)).call();
    assertTrue(ok);
    assertTrue(Files.exists(out.resolve("test/HelloClient.java")));
    assertTrue(Files.exists(out.resolve("test/HelloFunctions.java")));
    assertTrue(Files.exists(out.resolve("META-INF/parley/test.Hello.openrpc.json")));
  }

  @Test
  void processorSupportsItsAnnotationsAndGeneratedAndTheLatestSourceVersion() {
    RemoteFunctionProcessor processor = new RemoteFunctionProcessor();
    assertEquals(Set.of("dev.parley.RemoteFunction", "dev.parley.RemoteError", "javax.annotation.processing.Generated"),
        processor.getSupportedAnnotationTypes());
    assertEquals(SourceVersion.latestSupported(), processor.getSupportedSourceVersion());
  }

  @Test
  void processorIsDeclaredIsolatingForGradle() throws IOException {
    try (InputStream in = RemoteFunctionProcessor.class.getResourceAsStream(
        "/META-INF/gradle/incremental.annotation.processors")) {
      assertEquals("dev.parley.codegen.RemoteFunctionProcessor,isolating",
          new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
    }
  }
}
