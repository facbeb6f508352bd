package dev.parley.codegen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * The {@code java.lang.reflect.Type} expressions one generated class passes to the codec: a class
 * literal for plain types ({@code Entry.class}, {@code int.class}), and for generic types a
 * {@code private static final Type} field built once with {@code new TypeRef<List<Entry>>() {}.type()},
 * named after the type ({@code LIST_OF_ENTRY}) and shared by every use of the same type.
 */
final class TypeConstants {
  private static final int MAX_NAME = 60;

  private final Map<String, FieldSpec> fields = new LinkedHashMap<>();
  private final Set<String> usedNames = new HashSet<>();

  /** The expression for {@code type}; registers a field when the type is generic. */
  CodeBlock of(TypeName type) {
    if (!isGeneric(type)) {
      return CodeBlock.of("$T.class", type);
    }
    FieldSpec field = fields.computeIfAbsent(type.toString(), key -> field(type));
    return CodeBlock.of("$N", field);
  }

  /** The fields registered so far, in order of first use. */
  List<FieldSpec> fields() {
    return new ArrayList<>(fields.values());
  }

  private FieldSpec field(TypeName type) {
    String base = constantName(type);
    if (base.length() > MAX_NAME) {
      base = base.substring(0, MAX_NAME);
    }
    String name = base;
    for (int i = 2; !usedNames.add(name); i++) {
      name = base + "_" + i;
    }
    return FieldSpec.builder(Names.TYPE, name, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .initializer("new $T<$T>() {}.type()", Names.TYPE_REF, type)
        .build();
  }

  private static boolean isGeneric(TypeName type) {
    if (type instanceof ArrayTypeName array) {
      return isGeneric(array.componentType());
    }
    return type instanceof ParameterizedTypeName;
  }

  private static String constantName(TypeName type) {
    if (type instanceof ArrayTypeName array) {
      return constantName(array.componentType()) + "_ARRAY";
    }
    if (type instanceof ParameterizedTypeName parameterized) {
      StringBuilder name = new StringBuilder(constantName(parameterized.rawType()));
      String joiner = "_OF_";
      for (TypeName argument : parameterized.typeArguments()) {
        name.append(joiner).append(constantName(argument));
        joiner = "_AND_";
      }
      return name.toString();
    }
    if (type instanceof ClassName className) {
      return upperSnake(className.simpleName());
    }
    return upperSnake(type.toString());
  }

  private static String upperSnake(String camel) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c) && i > 0 && Character.isLowerCase(camel.charAt(i - 1))) {
        out.append('_');
      }
      out.append(Character.isJavaIdentifierPart(c) ? c : '_');
    }
    return out.toString().toUpperCase(Locale.ROOT);
  }
}
