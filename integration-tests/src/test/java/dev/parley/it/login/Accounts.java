package dev.parley.it.login;

import dev.parley.RemoteFunction;
import dev.parley.Session;

/** A module whose functions need a logged-in session, except {@link #login}. */
public interface Accounts {
  /** The error code of a refused login. */
  int WRONG_USER = 4001;

  /** Logs the session in as {@code user}; the user "mallory" is refused with {@link #WRONG_USER}. */
  @RemoteFunction String login(String user, Session session);

  /** Who the session logged in as. */
  @RemoteFunction(idempotent = true) String whoAmI(Session session);

  @RemoteFunction int add(int a, int b, Session session);
}
