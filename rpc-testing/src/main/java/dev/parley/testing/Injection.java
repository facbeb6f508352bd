package dev.parley.testing;

import dev.parley.client.ClientModule;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;

/**
 * Which test parameters a {@link ParleyServer} fills: a {@link ClientModule} or a generated stub,
 * for the module {@link ModulePath} names, or the only one.
 */
final class Injection {
  private Injection() {}

  static boolean supports(ParameterContext parameter, List<String> paths) {
    Class<?> type = parameter.getParameter().getType();
    if (type != ClientModule.class && !Stubs.isStub(type)) {
      return false;
    }
    Optional<ModulePath> named = parameter.findAnnotation(ModulePath.class);
    return named.isEmpty() || paths.contains(named.get().value());
  }

  /** The path of the module the parameter is for. */
  static String path(ParameterContext parameter, List<String> paths) {
    Optional<String> named = parameter.findAnnotation(ModulePath.class).map(ModulePath::value);
    if (named.isPresent()) {
      return named.get();
    }
    if (paths.size() != 1) {
      throw new ParameterResolutionException("the server serves " + paths.size() + " modules " + paths
          + ": annotate " + parameter.getParameter() + " with @ModulePath to name one");
    }
    return paths.get(0);
  }

  /** The client itself, or a stub of the parameter's type on it. */
  static Object as(ParameterContext parameter, ClientModule client) {
    Class<?> type = parameter.getParameter().getType();
    return type == ClientModule.class ? client : Stubs.create(type, client);
  }
}
