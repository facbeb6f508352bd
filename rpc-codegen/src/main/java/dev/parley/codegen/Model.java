package dev.parley.codegen;

import com.palantir.javapoet.ClassName;
import java.util.List;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;

/** What the processor read from one annotated type, once it passed every check. */
final class Model {
  private Model() {}

  /**
   * One annotated class or interface.
   *
   * @param clientImplements whether {@code <Type>Client} can implement the annotated interface
   * @param notImplementedBecause why it cannot (for the client's Javadoc), or null
   */
  record Service(
      TypeElement type,
      ClassName typeName,
      ClassName clientName,
      ClassName functionsName,
      List<Function> functions,
      boolean clientImplements,
      String notImplementedBecause) {}

  /**
   * One remote function.
   *
   * @param result the decoded result type: the return type, or {@code T} of a returned
   *     {@code CompletableFuture<T>} / {@code CompletionStage<T>}
   * @param async whether the method returns a future or stage
   * @param asyncVariant whether the client gets an extra {@code <name>Async} method
   */
  record Function(
      ExecutableElement method,
      String javaName,
      String wireName,
      boolean idempotent,
      List<Param> params,
      TypeMirror result,
      boolean async,
      boolean asyncVariant,
      String description) {

    /** The parameters the client sends: all but the injected session. */
    List<Param> sent() {
      return params.stream().filter(p -> !p.session()).toList();
    }
  }

  /** One parameter; a {@code Session} parameter is injected by the server and never sent. */
  record Param(VariableElement element, String name, TypeMirror type, boolean session, boolean optional) {}
}
