package dev.parley;

import java.lang.reflect.Type;

/**
 * The parameters of one incoming call, as a generated dispatcher reads them. The server builds it
 * from the JSON-RPC {@code params} member, by name (object) or by position (array).
 */
public interface Arguments {
  /**
   * The parameter at {@code position} (positional params) or named {@code name} (named params),
   * decoded as {@code type}. A missing parameter decodes as {@code Optional.empty()} for
   * {@code Optional} types and as null for other reference types.
   *
   * @throws RemoteException with {@link RemoteException#INVALID_PARAMS} when the parameter is
   *     missing for a primitive type or cannot be decoded as {@code type}
   */
  <T> T get(int position, String name, Type type);

  /**
   * A rest parameter (Java varargs), decoded as the array type {@code arrayType}: by position,
   * every param from {@code position} on, each one element ({@code sum(1, 2, 4)} is
   * {@code "params": [1, 2, 4]}); by name, the array named {@code name}
   * ({@code {"numbers": [1, 2, 4]}}). Missing (or null by name) it is an empty array. The default
   * reads it like any other parameter, which suits named params only; the server's implementation
   * does both.
   *
   * @throws RemoteException with {@link RemoteException#INVALID_PARAMS} when an element cannot be
   *     decoded
   */
  default <T> T rest(int position, String name, Type arrayType) {
    return get(position, name, arrayType);
  }

  /**
   * The {@link CallContext} of the call these arguments belong to: what a generated dispatcher hands
   * a function's {@code CallContext} parameter. The server makes it when it is first asked for (a
   * call whose function takes none costs nothing).
   *
   * @throws UnsupportedOperationException these arguments come from elsewhere than a server (the
   *     default)
   */
  default CallContext callContext() {
    throw new UnsupportedOperationException("these arguments have no CallContext: only a server's arguments do");
  }
}
