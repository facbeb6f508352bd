package dev.parley;

import java.util.List;

/**
 * A group of remote functions the server can dispatch without reflection. The annotation processor
 * generates one implementation per annotated type ({@code <Type>Functions}); a server module
 * registers it:
 *
 * <pre>{@code
 * ServerModule calc = ServerModule.builder("/calc")
 *     .functions(new CalculatorFunctions(new CalculatorImpl()))
 *     .build();
 * }</pre>
 */
public interface RemoteFunctions {
  /** The fully qualified name of the annotated type this group was generated from. */
  String serviceName();

  /** The functions of this group, in declaration order. */
  List<FunctionDescriptor> functions();

  /**
   * Runs {@code function} with {@code args}. Returns the result (null for void), or a
   * {@link java.util.concurrent.CompletionStage} that completes with it for asynchronous functions.
   *
   * @throws RemoteException with {@link RemoteException#METHOD_NOT_FOUND} for a name not in
   *     {@link #functions()}, or as thrown by {@link Arguments#get}
   * @throws Exception whatever the function itself throws
   */
  Object invoke(String function, Arguments args, Session session) throws Exception;

  /**
   * The answer to {@code failure} of {@code function} when it is one of the typed errors
   * ({@link RemoteError}) that the function declares, or null when it is not, and the server then
   * answers it as an unexpected failure. Generated dispatchers override it; the default knows none.
   *
   * @throws IllegalArgumentException the error's data cannot be written as JSON
   */
  default RemoteException applicationError(String function, Throwable failure) {
    return null;
  }

  /**
   * The class-path resource holding this group's OpenRPC document, generated at compile time;
   * the server merges the documents of a module's groups to answer {@code rpc.discover}.
   */
  default String openRpcResource() {
    return "META-INF/parley/" + serviceName() + ".openrpc.json";
  }
}
