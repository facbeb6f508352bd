package dev.parley;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a public method as a remote function. The Parley annotation processor ({@code rpc-codegen})
 * generates, for every class or interface that declares such methods, a typed client stub
 * ({@code <Type>Client}), a reflection-free server dispatcher ({@code <Type>Functions}) and an
 * OpenRPC document ({@code META-INF/parley/<fqcn>.openrpc.json}).
 *
 * <pre>{@code
 * public interface Calculator {
 *   @RemoteFunction int add(int a, int b);
 *   @RemoteFunction(idempotent = true) List<Entry> history(int limit);
 * }
 * }</pre>
 *
 * <p>Parameters travel by name (the names in the source), or by position from third-party
 * clients. A parameter of type {@link Session} is injected by the server and never sent by the
 * client. A varargs parameter is a rest parameter: {@code sum(int... numbers)} takes
 * {@code "params": [1, 2, 4]}. The {@code throws} clause may name {@link RemoteError} exceptions
 * (typed errors, thrown again by the generated client) and Parley's {@link RpcException}s, nothing
 * else; the method must not be a default method (docs/CODEGEN.md).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface RemoteFunction {
  /** The function's name on the wire; empty means the Java method name. */
  String name() default "";

  /**
   * Whether running the function twice has the same effect as running it once. A client may
   * re-send an idempotent call when it cannot prove that the first attempt did not run (for
   * example after an unauthenticated "unknown session" answer); a non-idempotent call is re-sent
   * only when the server proves it did not run.
   */
  boolean idempotent() default false;
}
