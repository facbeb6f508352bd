package dev.parley.it.login;

import dev.parley.RemoteException;
import dev.parley.Session;
import dev.parley.server.Login;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** {@link Accounts} that records what ran, in order, as "function user@session". */
final class AccountsImpl implements Accounts {
  final List<String> ran = new CopyOnWriteArrayList<>();

  @Override
  public String login(String user, Session session) {
    if (user.equals("mallory")) {
      throw new RemoteException(WRONG_USER, "Unknown user");
    }
    Login.logIn(session, user);
    ran.add("login " + user + "@" + session.id());
    return user;
  }

  @Override
  public String whoAmI(Session session) {
    String user = Login.who(session, String.class).orElseThrow();
    ran.add("whoAmI " + user + "@" + session.id());
    return user;
  }

  @Override
  public int add(int a, int b, Session session) {
    ran.add("add " + Login.who(session, String.class).orElseThrow() + "@" + session.id());
    return a + b;
  }

  long count(String function) {
    return ran.stream().filter(r -> r.startsWith(function + " ")).count();
  }
}
