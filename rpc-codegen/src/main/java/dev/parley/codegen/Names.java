package dev.parley.codegen;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;

/**
 * The rpc-core types generated code refers to, by name: the processor never loads rpc-core, so it
 * stays a compile-time-only tool (docs/CODEGEN.md, opening paragraph: nothing of it is needed at
 * run time).
 */
final class Names {
  static final String PROCESSOR = "dev.parley.codegen.RemoteFunctionProcessor";

  static final String REMOTE_FUNCTION = "dev.parley.RemoteFunction";
  static final String SESSION = "dev.parley.Session";
  static final String CALL_CONTEXT = "dev.parley.CallContext";
  static final String REMOTE_ERROR = "dev.parley.RemoteError";
  static final String GENERATED = "javax.annotation.processing.Generated";

  static final ClassName REMOTE_CALLER = ClassName.get("dev.parley", "RemoteCaller");
  static final ClassName REMOTE_FUNCTIONS = ClassName.get("dev.parley", "RemoteFunctions");
  static final ClassName REMOTE_EXCEPTION = ClassName.get("dev.parley", "RemoteException");
  static final ClassName RPC_EXCEPTION = ClassName.get("dev.parley", "RpcException");
  static final ClassName FUNCTION_DESCRIPTOR = ClassName.get("dev.parley", "FunctionDescriptor");
  static final ClassName ARGUMENTS = ClassName.get("dev.parley", "Arguments");
  static final ClassName SESSION_CLASS = ClassName.get("dev.parley", "Session");
  static final ClassName TYPE_REF = ClassName.get("dev.parley", "TypeRef");

  static final ClassName TYPE = ClassName.get("java.lang.reflect", "Type");
  static final ClassName DURATION = ClassName.get("java.time", "Duration");
  static final ClassName OBJECTS = ClassName.get("java.util", "Objects");
  static final ClassName LIST = ClassName.get("java.util", "List");
  static final ClassName MAP = ClassName.get("java.util", "Map");
  static final ClassName LINKED_HASH_MAP = ClassName.get("java.util", "LinkedHashMap");
  static final ClassName COMPLETABLE_FUTURE = ClassName.get("java.util.concurrent", "CompletableFuture");
  static final String COMPLETION_STAGE = "java.util.concurrent.CompletionStage";

  /** Longest function name echoed back in a "Method not found" message. */
  static final int MAX_ECHOED_NAME = 100;

  private Names() {}

  /** The annotation named {@code qualifiedName} (one of the names above) on {@code element}, or null. */
  static AnnotationMirror annotation(Element element, String qualifiedName) {
    for (AnnotationMirror annotation : element.getAnnotationMirrors()) {
      TypeElement annotationType = (TypeElement) annotation.getAnnotationType().asElement();
      if (annotationType.getQualifiedName().contentEquals(qualifiedName)) {
        return annotation;
      }
    }
    return null;
  }

  static AnnotationSpec generated() {
    return AnnotationSpec.builder(ClassName.bestGuess(GENERATED))
        .addMember("value", "$S", PROCESSOR)
        .build();
  }

  /**
   * Generated code calls the user's methods and names the user's types; if those are deprecated,
   * that is the user's business, not a warning in code they cannot edit. Nothing else is needed:
   * the generated code has no unchecked or raw operations.
   */
  static AnnotationSpec suppressWarnings() {
    return AnnotationSpec.builder(SuppressWarnings.class).addMember("value", "$S", "deprecation").build();
  }
}
