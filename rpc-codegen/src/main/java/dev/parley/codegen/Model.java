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
      String notImplementedBecause) {

    /** Whether any function declares a typed error. */
    boolean hasTypedErrors() {
      return functions.stream().anyMatch(f -> !f.errors().isEmpty());
    }
  }

  /**
   * One remote function.
   *
   * @param result the decoded result type: the return type, or {@code T} of a returned
   *     {@code CompletableFuture<T>} / {@code CompletionStage<T>}
   * @param async whether the method returns a future or stage
   * @param asyncVariant whether the client gets an extra {@code <name>Async} method
   * @param sessionFree whether the client gets a method without the injected parameters
   *     ({@code Session}, {@code CallContext}): always, unless the function takes one and another
   *     function already has that signature
   * @param errors the typed errors ({@code @RemoteError} exceptions) it declares, subtypes before
   *     their supertypes
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
      boolean sessionFree,
      String description,
      List<ErrorType> errors) {

    /** The parameters the client sends: all but the injected ones. */
    List<Param> sent() {
      return params.stream().filter(p -> !p.injected()).toList();
    }

    /** Whether one of the parameters is injected by the server ({@code Session}, {@code CallContext}). */
    boolean takesSession() {
      return params.stream().anyMatch(Param::injected);
    }

    /** Whether the last parameter is Java varargs, a rest parameter on the wire. */
    boolean varargs() {
      return !params.isEmpty() && params.get(params.size() - 1).rest();
    }

    Function withAsyncVariant(boolean variant) {
      return new Function(method, javaName, wireName, idempotent, params, result, async, variant, sessionFree,
          description, errors);
    }

    Function withSessionFree(boolean free) {
      return new Function(method, javaName, wireName, idempotent, params, result, async, asyncVariant, free,
          description, errors);
    }
  }

  /** What the server injects into a parameter instead of reading it from the call. */
  enum Injected {
    /** Nothing: the client sends the parameter. */
    NONE,
    /** The caller's {@code Session}. */
    SESSION,
    /** The call's {@code CallContext}. */
    CONTEXT
  }

  /**
   * One parameter; a {@code Session} or {@code CallContext} parameter is injected by the server and
   * never sent.
   *
   * @param optional whether the parameter may be left out ({@code Optional} types and rest parameters)
   * @param rest whether it is Java varargs: by position it takes the rest of the params
   */
  record Param(VariableElement element, String name, TypeMirror type, Injected injection, boolean optional,
      boolean rest) {
    /** Whether the server injects it (it is never sent). */
    boolean injected() {
      return injection != Injected.NONE;
    }
  }

  /**
   * An application exception annotated with {@code @RemoteError}, as a function declares it.
   *
   * @param data the type of its {@code data()} accessor, or null when it has none
   * @param description the first sentence of its Javadoc, or null
   */
  record ErrorType(TypeElement type, ClassName className, int code, TypeMirror data, boolean checked,
      String description) {}
}
