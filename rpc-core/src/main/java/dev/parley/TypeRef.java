package dev.parley;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/**
 * Captures a generic type at compile time, so that a result such as {@code List<Entry>} can be
 * decoded with its element type:
 *
 * <pre>{@code
 * List<Entry> history = client.call("history", Map.of("limit", 10), new TypeRef<List<Entry>>() {});
 * }</pre>
 */
public abstract class TypeRef<T> {
  private final Type type;

  protected TypeRef() {
    Type superclass = getClass().getGenericSuperclass();
    if (!(superclass instanceof ParameterizedType)) {
      throw new IllegalStateException("TypeRef must be created with a type argument: new TypeRef<Foo>() {}");
    }
    this.type = ((ParameterizedType) superclass).getActualTypeArguments()[0];
  }

  /** The captured type. */
  public final Type type() {
    return type;
  }
}
