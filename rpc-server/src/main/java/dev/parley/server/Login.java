package dev.parley.server;

import dev.parley.Arguments;
import dev.parley.FunctionDescriptor;
import dev.parley.RemoteException;
import dev.parley.RemoteFunctions;
import dev.parley.Session;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * "This session is logged in" (RTC's login state), kept as one session attribute, and function
 * groups that refuse callers whose session is not (docs/SERVER.md "Login"). A login function marks
 * its session; {@link #required} wraps a group so that its functions answer {@link #REQUIRED} until
 * it is. A new session (expiry, a server restart) starts logged out, which is why clients log in
 * again after every handshake (the client's {@code autoLogin}).
 *
 * <pre>{@code
 * @RemoteFunction public String login(String user, String password, Session session) {
 *   if (!accounts.check(user, password)) throw new RemoteException(4001, "Wrong user or password");
 *   Login.logIn(session, user);
 *   return user;
 * }
 *
 * ServerModule.builder("/accounts")
 *     .functions(Login.required(new AccountsFunctions(accounts), "login"))   // all but login need it
 *     .secureKeyFile(keyFile)
 *     .build();
 * }</pre>
 */
public final class Login {
  /** The session attribute that holds who logged in. */
  public static final String ATTRIBUTE = "parley.login";
  /** The error code of a call refused because its session is not logged in. */
  public static final int REQUIRED = -32020;
  /** The message of {@link #REQUIRED}. */
  public static final String REQUIRED_MESSAGE = "Login required";

  private Login() {}

  /** Marks {@code session} as logged in by {@code who} (a user name, an account record …; not null). */
  public static void logIn(Session session, Object who) {
    Objects.requireNonNull(who, "who == null");
    session.attributes().put(ATTRIBUTE, who);
  }

  /** Marks {@code session} as logged out; its other attributes stay. */
  public static void logOut(Session session) {
    session.attributes().remove(ATTRIBUTE);
  }

  /** True when {@code session} is logged in. */
  public static boolean isLoggedIn(Session session) {
    return session.attributes().containsKey(ATTRIBUTE);
  }

  /** Who logged in on {@code session}, if anyone did and it is of {@code type}. */
  public static <T> Optional<T> who(Session session, Class<T> type) {
    return session.attribute(ATTRIBUTE, type);
  }

  /**
   * {@code group} with every function but those named in {@code open} refusing a session that is
   * not logged in: the call is answered {@link #REQUIRED} and the function does not run.
   *
   * @throws IllegalArgumentException a name in {@code open} is not a function of {@code group}
   */
  public static RemoteFunctions required(RemoteFunctions group, String... open) {
    Objects.requireNonNull(group, "group == null");
    Set<String> names = new HashSet<>();
    for (FunctionDescriptor function : group.functions()) {
      names.add(function.name());
    }
    Set<String> free = new HashSet<>();
    for (String name : open) {
      if (!names.contains(name)) {
        throw new IllegalArgumentException("'" + name + "' is not a function of " + group.serviceName()
            + "; its functions are " + names);
      }
      free.add(name);
    }
    return new Required(group, Set.copyOf(free));
  }

  /** A group whose functions (but the open ones) need a logged-in session. */
  private static final class Required implements RemoteFunctions {
    private final RemoteFunctions group;
    private final Set<String> open;

    Required(RemoteFunctions group, Set<String> open) {
      this.group = group;
      this.open = open;
    }

    @Override
    public String serviceName() {
      return group.serviceName();
    }

    @Override
    public List<FunctionDescriptor> functions() {
      return group.functions();
    }

    @Override
    public Object invoke(String function, Arguments args, Session session) throws Exception {
      if (!open.contains(function) && !isLoggedIn(session)) {
        throw new RemoteException(REQUIRED, REQUIRED_MESSAGE);
      }
      return group.invoke(function, args, session);
    }

    @Override
    public RemoteException applicationError(String function, Throwable failure) {
      return group.applicationError(function, failure);
    }

    @Override
    public String openRpcResource() {
      return group.openRpcResource();
    }
  }
}
