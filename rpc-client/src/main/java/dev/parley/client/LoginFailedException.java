package dev.parley.client;

import dev.parley.CallOutcome;
import dev.parley.RpcException;
import dev.parley.TransportException;

/**
 * The module's auto-login ({@link ClientModule.Builder#autoLogin(String, Object)}) failed, so the
 * call that waited for it was not sent: {@link #outcome()} is {@link CallOutcome#NOT_RUN} (unless an
 * earlier attempt of a re-sent call may have run, then the exception says so as a plain
 * {@code TransportException}). {@link #getCause()} is what the login call met: a
 * {@link dev.parley.RemoteException} when the server refused it (wrong credentials), or a
 * {@link TransportException}. The next call tries the login again.
 *
 * <pre>{@code
 * try {
 *   accounts.balance();
 * } catch (LoginFailedException e) {
 *   if (e.getCause() instanceof RemoteException refused) {
 *     askForNewCredentials(refused.getMessage());
 *   }
 * }
 * }</pre>
 *
 * <p>The message names the login function, never its arguments.
 */
public final class LoginFailedException extends TransportException {
  private static final long serialVersionUID = 1L;

  LoginFailedException(String message, RpcException cause) {
    super(message, cause instanceof TransportException t ? t.httpStatus() : 0, CallOutcome.NOT_RUN, cause);
  }
}
