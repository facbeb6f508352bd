package dev.parley.codegen;

import com.palantir.javapoet.ClassName;
import java.util.ArrayList;
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
  private final List<Map.Entry<Element, String>> errors = new ArrayList<>();

  ServiceReader(Elements elements, Types types, Messager messager, TypeSupport support) {
    this.elements = elements;
    this.types = types;
    this.messager = messager;
    this.support = support;
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
    support.resetDeferred();
    Model.Service service = readChecked(type);
    if (support.deferred() && !lastRound) {
      return null;
    }
    for (Map.Entry<Element, String> error : errors) {
      messager.printMessage(Diagnostic.Kind.ERROR, error.getValue(), error.getKey());
    }
    return errors.isEmpty() ? service : null;
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
    if (!errors.isEmpty() || support.deferred()) {
      return null;
    }
    markAsyncVariants(functions);
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
    VariableElement session = null;
    for (VariableElement parameter : method.getParameters()) {
      TypeMirror type = parameter.asType();
      String name = parameter.getSimpleName().toString();
      if (TypeSupport.qualifiedName(type).equals(Names.SESSION)) {
        if (session != null) {
          error(parameter, "A @RemoteFunction method can take at most one Session parameter; '"
              + session.getSimpleName() + "' is already one");
          ok = false;
        }
        session = parameter;
        params.add(new Model.Param(parameter, name, type, true, false));
        continue;
      }
      String problem = support.problem(type);
      if (problem != null) {
        error(parameter, "Parameter '" + name + "' has an unsupported type: " + problem);
        ok = false;
      }
      boolean optional = type.getKind() == TypeKind.DECLARED
          && TypeSupport.qualifiedName(type).startsWith("java.util.Optional");
      params.add(new Model.Param(parameter, name, type, false, optional));
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
    if (!ok) {
      return null;
    }
    return new Model.Function(method, javaName, wireName, idempotent, List.copyOf(params), result, async,
        !async, description(method));
  }

  /**
   * OpenRPC requires a method's optional params to follow its required ones (and a positional
   * caller could not leave out an optional param that has a required one after it), so an
   * {@code Optional} parameter before a required one is an error on the optional parameter.
   */
  private boolean checkOptionalsLast(List<Model.Param> params) {
    Model.Param firstOptional = null;
    for (Model.Param param : params) {
      if (param.session()) {
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

  /** A {@code fooAsync} variant is skipped when the type already declares a method of that signature. */
  private void markAsyncVariants(List<Model.Function> functions) {
    Set<String> signatures = new HashSet<>();
    for (Model.Function function : functions) {
      signatures.add(function.javaName() + sentErasures(function));
    }
    for (int i = 0; i < functions.size(); i++) {
      Model.Function f = functions.get(i);
      if (f.asyncVariant() && signatures.contains(f.javaName() + "Async" + sentErasures(f))) {
        functions.set(i, new Model.Function(f.method(), f.javaName(), f.wireName(), f.idempotent(), f.params(),
            f.result(), f.async(), false, f.description()));
      }
    }
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
   * be a non-sealed interface whose every abstract method is one of its own remote functions, none
   * of which takes a Session (the client's method would lack that parameter).
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
      if (function.params().stream().anyMatch(Model.Param::session)) {
        return "its function " + function.javaName() + " takes a Session, which the client does not send";
      }
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

  private String description(ExecutableElement method) {
    String doc = elements.getDocComment(method);
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

  static AnnotationMirror remoteFunction(Element element) {
    for (AnnotationMirror annotation : element.getAnnotationMirrors()) {
      TypeElement annotationType = (TypeElement) annotation.getAnnotationType().asElement();
      if (annotationType.getQualifiedName().contentEquals(Names.REMOTE_FUNCTION)) {
        return annotation;
      }
    }
    return null;
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
