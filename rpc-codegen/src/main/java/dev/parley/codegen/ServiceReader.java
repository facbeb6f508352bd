package dev.parley.codegen;

import com.palantir.javapoet.ClassName;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.Diagnostic;

/**
 * Reads one annotated type into a {@link Model.Service}, reporting every problem on the element
 * that causes it. Returns null when there was an error (or a type is not resolvable yet).
 */
final class ServiceReader {
  private final Elements elements;
  private final Types types;
  private final Messager messager;
  private final TypeSupport support;
  private final ErrorTypes errorTypes;
  /** {@code @RemoteError} types whose problems were reported on their own declaration. */
  private final Set<String> reportedErrorTypes;
  private final List<Map.Entry<Element, String>> errors = new ArrayList<>();
  /** Set when a problem was already reported elsewhere: no files, and no second message. */
  private boolean failedQuietly;

  ServiceReader(Elements elements, Types types, Messager messager, TypeSupport support, ErrorTypes errorTypes,
      Set<String> reportedErrorTypes) {
    this.elements = elements;
    this.types = types;
    this.messager = messager;
    this.support = support;
    this.errorTypes = errorTypes;
    this.reportedErrorTypes = reportedErrorTypes;
  }

  /** The annotated methods of {@code type}, in source order. */
  static List<ExecutableElement> annotatedMethods(TypeElement type) {
    List<ExecutableElement> methods = new ArrayList<>();
    for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
      if (remoteFunction(method) != null) {
        methods.add(method);
      }
    }
    return methods;
  }

  /**
   * The service, or null after reporting its errors. While {@code lastRound} is false, a type that
   * refers to a not-yet-resolvable type reports nothing and reads as null; {@link #deferred()} then
   * says to retry it in the next round.
   */
  Model.Service read(TypeElement type, boolean lastRound) {
    errors.clear();
    failedQuietly = false;
    support.resetDeferred();
    Model.Service service = readChecked(type);
    if (support.deferred() && !lastRound) {
      return null;
    }
    for (Map.Entry<Element, String> error : errors) {
      messager.printMessage(Diagnostic.Kind.ERROR, error.getValue(), error.getKey());
    }
    return errors.isEmpty() && !failedQuietly ? service : null;
  }

  /** Whether the last {@link #read} met a type that may be generated in a later round. */
  boolean deferred() {
    return support.deferred();
  }

  private Model.Service readChecked(TypeElement type) {
    checkType(type);
    List<Model.Function> functions = new ArrayList<>();
    Map<String, ExecutableElement> byWireName = new HashMap<>();
    for (ExecutableElement method : annotatedMethods(type)) {
      Model.Function function = function(method);
      if (function == null) {
        continue;
      }
      ExecutableElement previous = byWireName.putIfAbsent(function.wireName(), method);
      if (previous != null) {
        error(method, "Duplicate remote function name '" + function.wireName() + "': "
            + signature(previous) + " already uses it. Rename one with @RemoteFunction(name = \"...\")"
            + " (overloads need distinct wire names)");
        continue;
      }
      functions.add(function);
    }
    if (!errors.isEmpty() || failedQuietly || support.deferred()) {
      return null;
    }
    markClientMethods(functions);
    ClassName typeName = ClassName.get(type);
    String prefix = String.join("_", typeName.simpleNames());
    String notImplemented = notImplementedBecause(type, functions);
    return new Model.Service(
        type, typeName,
        ClassName.get(typeName.packageName(), prefix + "Client"),
        ClassName.get(typeName.packageName(), prefix + "Functions"),
        List.copyOf(functions),
        notImplemented == null,
        notImplemented);
  }

  private void checkType(TypeElement type) {
    ElementKind kind = type.getKind();
    if (kind != ElementKind.CLASS && kind != ElementKind.INTERFACE && kind != ElementKind.RECORD) {
      error(type, "@RemoteFunction methods must be declared in a class or interface, not in " + describe(kind));
      return;
    }
    if (type.getNestingKind() == NestingKind.LOCAL || type.getNestingKind() == NestingKind.ANONYMOUS) {
      error(type, "@RemoteFunction methods cannot be declared in a local or anonymous class: generated code"
          + " cannot name it; move it to a top-level or static nested type");
      return;
    }
    if (TypeSupport.isPrivate(type)) {
      error(type, "A type declaring @RemoteFunction methods must not be private (nor nested in a private"
          + " type): the generated classes in the same package need to reach it");
    }
    for (Element current = type; current instanceof TypeElement nested
        && nested.getNestingKind() == NestingKind.MEMBER; current = current.getEnclosingElement()) {
      if (nested.getKind() == ElementKind.CLASS && !nested.getModifiers().contains(Modifier.STATIC)) {
        error(type, "A type declaring @RemoteFunction methods must not be an inner (non-static) class: make "
            + nested.getSimpleName() + " static");
        break;
      }
    }
    if (!type.getTypeParameters().isEmpty()) {
      error(type, "A type declaring @RemoteFunction methods must not have type parameters: remote"
          + " function types must be concrete");
    }
  }

  private Model.Function function(ExecutableElement method) {
    AnnotationMirror annotation = remoteFunction(method);
    String javaName = method.getSimpleName().toString();
    String wireName = (String) value(annotation, "name");
    boolean idempotent = (Boolean) value(annotation, "idempotent");
    if (wireName.isEmpty()) {
      wireName = javaName;
    }
    boolean ok = true;
    if (!method.getModifiers().contains(Modifier.PUBLIC)) {
      error(method, "A @RemoteFunction method must be public");
      ok = false;
    }
    if (method.getModifiers().contains(Modifier.STATIC)) {
      error(method, "A @RemoteFunction method must not be static: the server calls it on an instance");
      ok = false;
    }
    if (method.isDefault()) {
      error(method, "A @RemoteFunction method must not be a default method: the generated client replaces"
          + " its body with a remote call, so the two sides would run different code. Make it abstract and"
          + " implement it in the server's class");
      ok = false;
    }
    if (!method.getTypeParameters().isEmpty()) {
      error(method, "A @RemoteFunction method must not be generic (it declares type parameters "
          + method.getTypeParameters() + "): remote function types must be concrete");
      return null; // its parameter and result types would only repeat the same problem
    }
    if (wireName.startsWith("rpc.")) {
      error(method, "Remote function name '" + wireName + "' starts with 'rpc.', which JSON-RPC 2.0 reserves;"
          + " choose another name with @RemoteFunction(name = \"...\")");
      ok = false;
    } else if (wireName.isBlank() || !wireName.strip().equals(wireName)) {
      error(method, "Remote function name '" + wireName + "' must not be blank or start or end with whitespace");
      ok = false;
    }
    List<Model.Param> params = new ArrayList<>();
    Map<Model.Injected, VariableElement> injected = new EnumMap<>(Model.Injected.class);
    List<? extends VariableElement> parameters = method.getParameters();
    for (VariableElement parameter : parameters) {
      TypeMirror type = parameter.asType();
      String name = parameter.getSimpleName().toString();
      String qualified = TypeSupport.qualifiedName(type);
      Model.Injected injection = qualified.equals(Names.SESSION) ? Model.Injected.SESSION
          : qualified.equals(Names.CALL_CONTEXT) ? Model.Injected.CONTEXT : Model.Injected.NONE;
      if (injection != Model.Injected.NONE) {
        VariableElement previous = injected.put(injection, parameter);
        if (previous != null) {
          error(parameter, "A @RemoteFunction method can take at most one "
              + (injection == Model.Injected.SESSION ? "Session" : "CallContext") + " parameter; '"
              + previous.getSimpleName() + "' is already one");
          ok = false;
        }
        params.add(new Model.Param(parameter, name, type, injection, false, false));
        continue;
      }
      String problem = support.problem(type);
      if (problem != null) {
        error(parameter, "Parameter '" + name + "' has an unsupported type: " + problem);
        ok = false;
      }
      boolean rest = method.isVarArgs() && parameter == parameters.get(parameters.size() - 1);
      boolean optional = rest || type.getKind() == TypeKind.DECLARED
          && TypeSupport.qualifiedName(type).startsWith("java.util.Optional");
      params.add(new Model.Param(parameter, name, type, Model.Injected.NONE, optional, rest));
    }
    if (!checkOptionalsLast(params)) {
      ok = false;
    }
    TypeMirror returned = method.getReturnType();
    TypeMirror result = returned;
    boolean async = false;
    String returnedName = TypeSupport.qualifiedName(returned);
    if (returnedName.equals(Names.COMPLETABLE_FUTURE.canonicalName()) || returnedName.equals(Names.COMPLETION_STAGE)) {
      List<? extends TypeMirror> arguments = ((DeclaredType) returned).getTypeArguments();
      if (arguments.size() != 1) {
        error(method, "A @RemoteFunction method returning " + returnedName + " must give its type argument,"
            + " e.g. CompletableFuture<String>");
        return null;
      }
      result = arguments.get(0);
      async = true;
    }
    boolean isVoid = result.getKind() == TypeKind.VOID
        || TypeSupport.qualifiedName(result).equals("java.lang.Void");
    if (!isVoid) {
      String problem = support.problem(result);
      if (problem != null) {
        error(method, "The return type of @RemoteFunction method '" + javaName + "' is not supported: " + problem);
        ok = false;
      }
    }
    List<Model.ErrorType> typedErrors = typedErrors(method, javaName);
    if (!ok || typedErrors == null) {
      return null;
    }
    return new Model.Function(method, javaName, wireName, idempotent, List.copyOf(params), result, async,
        !async, true, description(elements, method), typedErrors);
  }

  /**
   * The typed errors a function declares, subtypes first, or null after reporting a problem. Its
   * {@code throws} clause may name {@code @RemoteError} exceptions and Parley's own
   * {@code RpcException}s (documentation: every client call may throw them); anything else would be
   * a promise the client cannot keep, since it only ever throws those.
   */
  private List<Model.ErrorType> typedErrors(ExecutableElement method, String javaName) {
    List<Model.ErrorType> typed = new ArrayList<>();
    boolean ok = true;
    for (TypeMirror thrown : method.getThrownTypes()) {
      if (thrown.getKind() == TypeKind.ERROR) {
        support.markDeferred();
        return null;
      }
      if (thrown.getKind() != TypeKind.DECLARED) {
        error(method, "Remote function '" + javaName + "' must not throw type variable " + thrown
            + ": a client can only throw declared @RemoteError exceptions");
        ok = false;
        continue;
      }
      TypeElement type = (TypeElement) ((DeclaredType) thrown).asElement();
      String simple = type.getSimpleName().toString();
      if (support.isSubtypeOf(thrown, Names.RPC_EXCEPTION.canonicalName())) {
        continue;
      }
      if (ErrorTypes.remoteError(type) != null) {
        ErrorTypes.Result result = errorTypes.check(type);
        if (result.problem() != null) {
          if (reportedErrorTypes.contains(type.getQualifiedName().toString())) {
            failedQuietly = true;
          } else {
            error(method, "Remote function '" + javaName + "' declares " + simple + ", which cannot be a typed"
                + " error: " + result.problem());
          }
          ok = false;
          continue;
        }
        for (Model.ErrorType other : typed) {
          if (other.code() == result.error().code()) {
            error(method, "Remote function '" + javaName + "' declares " + other.type().getSimpleName() + " and "
                + simple + " with the same code " + other.code() + ": the client could not tell them apart;"
                + " give one another @RemoteError code");
            ok = false;
          }
        }
        typed.add(result.error());
        continue;
      }
      boolean checked = !support.isSubtypeOf(thrown, "java.lang.RuntimeException")
          && !support.isSubtypeOf(thrown, "java.lang.Error");
      error(method, "Remote function '" + javaName + "' declares " + (checked ? "checked exception " : "") + simple
          + ", which its client can never throw: a caller receives RemoteException (or a @RemoteError exception"
          + " the function declares) for any failure on the server. "
          + (checked ? "Handle " + simple + " in the implementation, or throw your own @RemoteError exception"
              : "Annotate your own exception with @RemoteError(code = ...) to make it a typed error, or remove "
                  + simple + " from the throws clause"));
      ok = false;
    }
    if (!ok) {
      return null;
    }
    // Most specific first: the dispatcher matches a thrown exception with instanceof, in this order.
    List<Model.ErrorType> ordered = new ArrayList<>();
    for (Model.ErrorType error : typed) {
      int at = ordered.size();
      for (int i = 0; i < ordered.size(); i++) {
        if (types.isSubtype(error.type().asType(), ordered.get(i).type().asType())) {
          at = i;
          break;
        }
      }
      ordered.add(at, error);
    }
    return List.copyOf(ordered);
  }

  /**
   * OpenRPC requires a method's optional params to follow its required ones (and a positional
   * caller could not leave out an optional param that has a required one after it), so an
   * {@code Optional} parameter before a required one is an error on the optional parameter.
   */
  private boolean checkOptionalsLast(List<Model.Param> params) {
    Model.Param firstOptional = null;
    for (Model.Param param : params) {
      if (param.injected()) {
        continue;
      }
      if (param.optional()) {
        if (firstOptional == null) {
          firstOptional = param;
        }
      } else if (firstOptional != null) {
        error(firstOptional.element(), "Optional parameter '" + firstOptional.name() + "' must come after the"
            + " required parameters, but required parameter '" + param.name() + "' follows it: OpenRPC requires"
            + " optional params last, and a positional call could not leave it out. Move '"
            + firstOptional.name() + "' to the end");
        return false;
      }
    }
    return true;
  }

  /**
   * Which extra client methods can exist without clashing with a method the client already has:
   * the one without the {@code Session} parameter (skipped when another function already has that
   * signature; the client then keeps only the one with the Session, which it ignores), and the
   * {@code <name>Async} variant (skipped when a method of that signature exists, or an earlier
   * function's variant took it).
   */
  private void markClientMethods(List<Model.Function> functions) {
    Set<String> taken = new HashSet<>();
    for (Model.Function function : functions) {
      taken.add(function.javaName() + allErasures(function));
    }
    for (int i = 0; i < functions.size(); i++) {
      Model.Function f = functions.get(i);
      if (f.takesSession() && !taken.add(f.javaName() + sentErasures(f))) {
        functions.set(i, f.withSessionFree(false));
      }
    }
    for (int i = 0; i < functions.size(); i++) {
      Model.Function f = functions.get(i);
      if (f.asyncVariant() && !taken.add(f.javaName() + "Async" + sentErasures(f))) {
        functions.set(i, f.withAsyncVariant(false));
      }
    }
  }

  private String allErasures(Model.Function function) {
    List<String> erasures = new ArrayList<>();
    for (Model.Param param : function.params()) {
      erasures.add(types.erasure(param.type()).toString());
    }
    return erasures.toString();
  }

  private String sentErasures(Model.Function function) {
    List<String> erasures = new ArrayList<>();
    for (Model.Param param : function.sent()) {
      erasures.add(types.erasure(param.type()).toString());
    }
    return erasures.toString();
  }

  /**
   * Why the client cannot implement the annotated interface, or null when it can: the type must
   * be a non-sealed interface whose every abstract method is one of its own remote functions
   * (a function that takes a Session keeps it in the client's signature, which ignores it).
   */
  private String notImplementedBecause(TypeElement type, List<Model.Function> functions) {
    if (type.getKind() != ElementKind.INTERFACE) {
      return type.getSimpleName() + " is a class";
    }
    if (type.getModifiers().contains(Modifier.SEALED)) {
      return type.getSimpleName() + " is sealed";
    }
    Set<ExecutableElement> remote = new HashSet<>();
    for (Model.Function function : functions) {
      remote.add(function.method());
    }
    for (ExecutableElement method : ElementFilter.methodsIn(elements.getAllMembers(type))) {
      if (method.getModifiers().contains(Modifier.ABSTRACT) && !remote.contains(method)
          && !overridesObjectMethod(method)) {
        return "its method " + method.getSimpleName() + " is not a @RemoteFunction of " + type.getSimpleName();
      }
    }
    return null;
  }

  private boolean overridesObjectMethod(ExecutableElement method) {
    TypeElement object = elements.getTypeElement("java.lang.Object");
    for (ExecutableElement candidate : ElementFilter.methodsIn(object.getEnclosedElements())) {
      if (candidate.getSimpleName().equals(method.getSimpleName())
          && candidate.getModifiers().contains(Modifier.PUBLIC)
          && types.isSameType(types.erasure(candidate.asType()), types.erasure(method.asType()))) {
        return true;
      }
    }
    return false;
  }

  /** The Javadoc of {@code element} before its first block tag, on one line; null without one. */
  static String description(Elements elements, Element element) {
    String doc = elements.getDocComment(element);
    if (doc == null) {
      return null;
    }
    StringBuilder text = new StringBuilder();
    for (String line : doc.strip().split("\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("@")) {
        break; // block tags (@param, @return …) are not part of the description
      }
      if (!trimmed.isEmpty()) {
        text.append(text.length() == 0 ? "" : " ").append(trimmed);
      }
    }
    return text.length() == 0 ? null : text.toString();
  }

  /** The {@code @RemoteFunction} annotation on {@code element}, or null. */
  static AnnotationMirror remoteFunction(Element element) {
    return Names.annotation(element, Names.REMOTE_FUNCTION);
  }

  private Object value(AnnotationMirror annotation, String name) {
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry
        : elements.getElementValuesWithDefaults(annotation).entrySet()) {
      if (entry.getKey().getSimpleName().contentEquals(name)) {
        return entry.getValue().getValue();
      }
    }
    throw new IllegalStateException("@RemoteFunction has no member " + name);
  }

  private static String signature(ExecutableElement method) {
    List<String> parameterTypes = new ArrayList<>();
    for (VariableElement parameter : method.getParameters()) {
      parameterTypes.add(parameter.asType().toString());
    }
    return method.getSimpleName() + "(" + String.join(", ", parameterTypes) + ")";
  }

  private static String describe(ElementKind kind) {
    return switch (kind) {
      case ENUM -> "an enum";
      case ANNOTATION_TYPE -> "an annotation type";
      default -> kind.toString().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private void error(Element element, String message) {
    errors.add(Map.entry(element, message));
  }
}
