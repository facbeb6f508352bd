package dev.parley.codegen;

import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;

/**
 * Compiles test sources with the processor and reads what it generated: sources, the OpenRPC
 * resource, and the compiled classes (through a class loader over compile-testing's in-memory
 * output, whose parent is the test's own loader, so rpc-core types are shared).
 */
final class Generated {
  final Compilation compilation;
  private final ClassLoader loader;

  private Generated(Compilation compilation) {
    this.compilation = compilation;
    this.loader = new ClassLoader(Generated.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        Optional<JavaFileObject> file = compilation.generatedFile(
            StandardLocation.CLASS_OUTPUT, name.replace('.', '/') + ".class");
        if (file.isEmpty()) {
          throw new ClassNotFoundException(name);
        }
        byte[] bytes = bytes(file.get());
        return defineClass(name, bytes, 0, bytes.length);
      }
    };
  }

  /** Compiles {@code sources} (pairs of fully qualified name and source text) with the project's lint options. */
  static Compilation compile(String... namesAndSources) {
    JavaFileObject[] files = new JavaFileObject[namesAndSources.length / 2];
    for (int i = 0; i < files.length; i++) {
      files[i] = JavaFileObjects.forSourceString(namesAndSources[2 * i], namesAndSources[2 * i + 1]);
    }
    return javac()
        .withProcessors(new RemoteFunctionProcessor())
        .withOptions("-Xlint:all,-processing")
        .compile(files);
  }

  /** Compiles and requires success. */
  static Generated of(String... namesAndSources) {
    Compilation compilation = compile(namesAndSources);
    assertWithMessage("compilation diagnostics: %s", compilation.diagnostics())
        .that(compilation.status()).isEqualTo(Compilation.Status.SUCCESS);
    return new Generated(compilation);
  }

  Class<?> load(String name) {
    try {
      return Class.forName(name, true, loader);
    } catch (ClassNotFoundException e) {
      throw new AssertionError("not generated: " + name, e);
    }
  }

  String source(String qualifiedName) {
    return text(compilation.generatedSourceFile(qualifiedName)
        .orElseThrow(() -> new AssertionError("no generated source " + qualifiedName)));
  }

  String resource(String path) {
    return text(compilation.generatedFile(StandardLocation.CLASS_OUTPUT, path)
        .orElseThrow(() -> new AssertionError("no generated resource " + path)));
  }

  private static String text(JavaFileObject file) {
    return new String(bytes(file), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(JavaFileObject file) {
    try (InputStream in = file.openInputStream()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
