package dev.parley.testing;

import dev.parley.RemoteCaller;
import dev.parley.client.ClientModule;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.Optional;

/**
 * Makes generated client stubs by reflection: a stub is a concrete class with a constructor that
 * takes only a {@link RemoteCaller} (what rpc-codegen generates) or a {@link ClientModule}.
 */
final class Stubs {
  private Stubs() {}

  /** Whether {@code type} is a stub this can make. */
  static boolean isStub(Class<?> type) {
    return constructor(type).isPresent();
  }

  /** A new stub of {@code type} calling through {@code module}. */
  static Object create(Class<?> type, ClientModule module) {
    Constructor<?> constructor = constructor(type)
        .orElseThrow(() -> new IllegalArgumentException(type.getName() + " has no constructor taking a RemoteCaller"
            + " or a ClientModule"));
    try {
      constructor.setAccessible(true);   // a stub of a package-private API is package-private too
      return constructor.newInstance(module);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("the constructor of " + type.getName() + " failed", e.getCause());
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("cannot make a " + type.getName() + " for " + module, e);
    }
  }

  private static Optional<Constructor<?>> constructor(Class<?> type) {
    if (type.isInterface() || type.isPrimitive() || type.isArray() || Modifier.isAbstract(type.getModifiers())) {
      return Optional.empty();
    }
    Constructor<?> found = null;
    for (Constructor<?> c : type.getDeclaredConstructors()) {
      Class<?>[] parameters = c.getParameterTypes();
      if (parameters.length == 1 && (parameters[0] == RemoteCaller.class || parameters[0] == ClientModule.class)
          && (found == null || parameters[0] == RemoteCaller.class)) {
        found = c;
      }
    }
    return Optional.ofNullable(found);
  }
}
