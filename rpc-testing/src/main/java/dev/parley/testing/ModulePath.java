package dev.parley.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the module an injected {@code ClientModule} or stub calls, when a {@link ParleyServer}
 * serves more than one (with a single module it may be left out).
 *
 * <pre>{@code
 * @Test void bothModulesAnswer(@ModulePath("/calc") CalculatorClient calc,
 *                             @ModulePath("/bank") BankClient bank) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface ModulePath {
  /** The module's path, as given to {@code ServerModule.builder(path)}, for example {@code "/calc"}. */
  String value();
}
