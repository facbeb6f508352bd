package dev.parley.codegen;

import com.palantir.javapoet.ClassName;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Checks the shape of {@code @RemoteError} exceptions (docs/CODEGEN.md, "Typed errors"): what the
 * generated dispatcher needs to answer one (its code, message and {@code data()}) and what the
 * generated client needs to build one again (a public constructor taking them).
 */
final class ErrorTypes {
  /** JSON-RPC 2.0 reserves -32768…-32000 for pre-defined and implementation errors. */
  static final int RESERVED_MIN = -32768;
  static final int RESERVED_MAX = -32000;

  /** A checked type, or why it cannot be a typed error. */
  record Result(Model.ErrorType error, String problem) {}

  private final Elements elements;
  private final Types types;
  private final TypeSupport support;
  private final Map<String, Result> checked = new HashMap<>();

  ErrorTypes(Elements elements, Types types, TypeSupport support) {
    this.elements = elements;
    this.types = types;
    this.support = support;
  }

  /** The {@code @RemoteError} annotation on {@code type}, or null. */
  static AnnotationMirror remoteError(Element type) {
    return Names.annotation(type, Names.REMOTE_ERROR);
  }

  /** Checks an annotated exception type (cached for this round). */
  Result check(TypeElement type) {
    String key = type.getQualifiedName().toString();
    Result known = checked.get(key);
    if (known != null) {
      return known;
    }
    Result result = checkUncached(type);
    if (!support.deferred()) {
      checked.put(key, result);
    }
    return result;
  }

  private Result checkUncached(TypeElement type) {
    String name = type.getSimpleName().toString();
    String prefix = "@RemoteError type " + name + " ";
    if (type.getKind() != ElementKind.CLASS || type.getModifiers().contains(Modifier.ABSTRACT)) {
      return problem(prefix + "must be a concrete class (an exception the client can create)");
    }
    if (!support.isSubtypeOf(type.asType(), "java.lang.Exception")) {
      return problem(prefix + "must extend Exception or RuntimeException");
    }
    if (support.isSubtypeOf(type.asType(), Names.RPC_EXCEPTION.canonicalName())) {
      return problem(prefix + "must not extend RpcException: throw a RemoteException directly, or make "
          + name + " an application exception");
    }
    for (Element current = type; current instanceof TypeElement nested; current = current.getEnclosingElement()) {
      if (!nested.getModifiers().contains(Modifier.PUBLIC)) {
        return problem(prefix + "must be public (and so must the types it is nested in): generated clients"
            + " in other packages create it");
      }
      if (nested.getNestingKind() == NestingKind.MEMBER && nested.getKind() == ElementKind.CLASS
          && !nested.getModifiers().contains(Modifier.STATIC)) {
        return problem(prefix + "must not be an inner (non-static) class: make " + nested.getSimpleName() + " static");
      }
      if (nested.getNestingKind() != NestingKind.MEMBER && nested.getNestingKind() != NestingKind.TOP_LEVEL) {
        return problem(prefix + "must be a top-level or static nested class");
      }
    }
    int code = code(remoteError(type));
    if (code >= RESERVED_MIN && code <= RESERVED_MAX) {
      return problem(prefix + "uses code " + code + ", which JSON-RPC 2.0 reserves (-32768 to -32000);"
          + " choose an application code outside that range");
    }
    ExecutableElement dataMethod = dataMethod(type);
    TypeMirror data = null;
    if (dataMethod != null) {
      data = dataMethod.getReturnType();
      if (data.getKind().isPrimitive() || data.getKind() == TypeKind.VOID) {
        return problem(prefix + "has a data() method returning " + data + ": return a reference type"
            + " (for example a record, or Integer instead of int), or rename the method");
      }
      String typeProblem = support.problem(data);
      if (typeProblem != null) {
        return problem(prefix + "has a data() method whose type is not supported: " + typeProblem);
      }
    }
    if (!hasConstructor(type, data)) {
      String wanted = data == null ? "(String message)"
          : "(String message, " + TypeSupport.simpleTypeName(data) + " data)";
      return problem(prefix + "needs a public constructor " + wanted + ", which the generated client calls to"
          + " throw it again" + (data == null ? "" : " (its data() method makes data part of the error)"));
    }
    boolean isChecked = !support.isSubtypeOf(type.asType(), "java.lang.RuntimeException");
    return new Result(new Model.ErrorType(type, ClassName.get(type), code, data, isChecked,
        ServiceReader.description(elements, type)), null);
  }

  private static Result problem(String message) {
    return new Result(null, message);
  }

  private int code(AnnotationMirror annotation) {
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry
        : elements.getElementValuesWithDefaults(annotation).entrySet()) {
      if (entry.getKey().getSimpleName().contentEquals("code")) {
        return (Integer) entry.getValue().getValue();
      }
    }
    throw new IllegalStateException("@RemoteError has no member code");
  }

  /** A public, non-static, parameterless {@code data()} method, declared or inherited (not Throwable's). */
  private ExecutableElement dataMethod(TypeElement type) {
    for (ExecutableElement method : ElementFilter.methodsIn(elements.getAllMembers(type))) {
      if (method.getSimpleName().contentEquals("data") && method.getParameters().isEmpty()
          && method.getModifiers().contains(Modifier.PUBLIC) && !method.getModifiers().contains(Modifier.STATIC)) {
        return method;
      }
    }
    return null;
  }

  private boolean hasConstructor(TypeElement type, TypeMirror data) {
    TypeMirror string = elements.getTypeElement("java.lang.String").asType();
    for (ExecutableElement constructor : ElementFilter.constructorsIn(type.getEnclosedElements())) {
      if (!constructor.getModifiers().contains(Modifier.PUBLIC)) {
        continue;
      }
      List<? extends VariableElement> parameters = constructor.getParameters();
      int expected = data == null ? 1 : 2;
      if (parameters.size() != expected || !types.isSameType(parameters.get(0).asType(), string)) {
        continue;
      }
      if (data == null || types.isSameType(types.erasure(parameters.get(1).asType()), types.erasure(data))) {
        return true;
      }
    }
    return false;
  }
}
