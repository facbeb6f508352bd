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
}
