package dev.parley;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.ParameterizedType;
import java.util.List;
import org.junit.jupiter.api.Test;

class TypeRefTest {
  @Test
  void capturesTheGenericTypeArgument() {
    ParameterizedType type = (ParameterizedType) new TypeRef<List<String>>() {}.type();
    assertEquals(List.class, type.getRawType());
    assertEquals(String.class, type.getActualTypeArguments()[0]);
  }

  @SuppressWarnings("rawtypes")
  @Test
  void rawSubclassIsRefusedWithAnExplanation() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> new TypeRef() {});
    assertEquals("TypeRef must be created with a type argument: new TypeRef<Foo>() {}", e.getMessage());
  }
}
