package dev.parley;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an application exception as a typed remote error: a function that declares it in its
 * {@code throws} clause answers it with this {@link #code()}, the exception's message and its data,
 * and the generated client throws the same exception type again.
 *
 * <pre>{@code
 * @RemoteError(code = 4001)
 * public class InsufficientFundsException extends Exception {     // or extends RuntimeException
 *   public record Shortfall(long balance, long requested) {}
 *   private final Shortfall data;
 *
 *   public InsufficientFundsException(String message, Shortfall data) {
 *     super(message);
 *     this.data = data;
 *   }
 *
 *   public Shortfall data() {                                      // sent as the error's "data"
 *     return data;
 *   }
 * }
 *
 * public interface Bank {
 *   @RemoteFunction long withdraw(long amount) throws InsufficientFundsException;
 * }
 * }</pre>
 *
 * <p>The shape the annotation processor checks (a compile error names what is missing): a public,
 * concrete class extending {@code Exception} (checked or unchecked, not an {@link RpcException});
 * the code outside -32768…-32000, which JSON-RPC reserves; and either a public constructor
 * {@code (String message)}, or a public method {@code D data()} returning a supported reference
 * type and a public constructor {@code (String message, D data)}. The server answers
 * {@code {"code": code, "message": getMessage(), "data": data()}}; the client calls the constructor
 * with the message and the data decoded as {@code D}.
 *
 * <p>Only the exceptions a function declares are typed errors of that function: any other
 * exception is answered as an unexpected failure (docs/ERRORS.md). The OpenRPC document lists them
 * in the method's {@code errors}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface RemoteError {
  /** The JSON-RPC error code the exception is answered with; outside -32768…-32000. */
  int code();
}
