package dev.parley.codegen;

import java.util.Arrays;

/** Small annotated sources the tests compile, as (qualified name, source) pairs. */
final class Sources {
  private Sources() {}

  static final String[] DATA = {
    "test.Kind", """
        package test;
        public enum Kind { PLAIN, FANCY }
        """,
    "test.Entry", """
        package test;
        import java.time.Instant;
        import java.util.List;
        public record Entry(String text, int value, Kind kind, Instant at, List<Entry> replies) {}
        """,
    "test.Bar", """
        package test;
        public class Bar {
          private String name;
          public boolean shiny;
          public Bar() {}
          public String getName() { return name; }
          public void setName(String name) { this.name = name; }
          public boolean isRound() { return false; }
          public String getURL() { return "u"; }
        }
        """,
  };

  static final String[] ERRORS = {
    "test.Refused", """
        package test;
        import dev.parley.RemoteError;
        /** The calculator refused the operation. It says why in its data. */
        @RemoteError(code = 4001)
        public class Refused extends Exception {
          private static final long serialVersionUID = 1L;
          public record Reason(String why, int limit) {}
          private final Reason data;
          public Refused(String message, Reason data) {
            super(message);
            this.data = data;
          }
          public Reason data() { return data; }
        }
        """,
    "test.Closed", """
        package test;
        @dev.parley.RemoteError(code = 4002)
        public class Closed extends RuntimeException {
          private static final long serialVersionUID = 1L;
          public Closed(String message) { super(message); }
        }
        """,
  };

  static final String[] CALCULATOR = join(DATA, ERRORS, new String[] {
    "test.Calculator", """
        package test;

        import dev.parley.RemoteException;
        import dev.parley.RemoteFunction;
        import java.util.List;
        import java.util.Map;
        import java.util.Optional;
        import java.util.Set;
        import java.util.concurrent.CompletableFuture;
        import java.util.concurrent.CompletionStage;

        public interface Calculator {
          /** Adds "two" numbers. */
          @RemoteFunction int add(int a, int b);

          @RemoteFunction(idempotent = true) List<Entry> history(int limit);

          @RemoteFunction void reset();

          @RemoteFunction(name = "calc.greet") CompletableFuture<String> greet(String name);

          @RemoteFunction CompletionStage<Void> ping();

          @RemoteFunction Map<String, Bar> bars(Set<Kind> kinds, Optional<String> prefix) throws Refused, Closed;

          @RemoteFunction byte[] echo(byte[] data, Entry[] entries, char c);

          @RemoteFunction String join(String separator, String... parts) throws RemoteException;

          /** Not remote: clients and servers ignore it. */
          default String describe() { return "calculator"; }
        }
        """,
  });

  static final String[] CALCULATOR_IMPL = join(CALCULATOR, new String[] {
    "test.CalculatorImpl", """
        package test;

        import java.util.ArrayList;
        import java.util.List;
        import java.util.Map;
        import java.util.Optional;
        import java.util.Set;
        import java.util.concurrent.CompletableFuture;
        import java.util.concurrent.CompletionStage;

        public class CalculatorImpl implements Calculator {
          public final List<String> log = new ArrayList<>();
          public final CompletableFuture<String> greeting = new CompletableFuture<>();

          @Override public int add(int a, int b) { return a + b; }
          @Override public List<Entry> history(int limit) {
            return List.of(new Entry("e", limit, Kind.PLAIN, null, List.of()));
          }
          @Override public void reset() { log.add("reset"); }
          @Override public CompletableFuture<String> greet(String name) { log.add(name); return greeting; }
          @Override public CompletionStage<Void> ping() { return CompletableFuture.completedFuture(null); }
          @Override public Map<String, Bar> bars(Set<Kind> kinds, Optional<String> prefix) throws Refused {
            if (prefix.orElse("").equals("refuse")) {
              throw new Refused("refused " + kinds.size(), new Refused.Reason("too many", kinds.size()));
            }
            if (prefix.orElse("").equals("close")) {
              throw new Closed("closed");
            }
            return Map.of(prefix.orElse("none") + kinds.size(), new Bar());
          }
          @Override public byte[] echo(byte[] data, Entry[] entries, char c) { log.add(entries.length + "" + c); return data; }
          @Override public String join(String separator, String... parts) { return String.join(separator, parts); }
        }
        """,
  });

  static final String[] SESSION_API = {
    "test.Profile", """
        package test;

        import dev.parley.RemoteFunction;
        import dev.parley.Session;

        public interface Profile {
          @RemoteFunction String whoAmI(Session session);
          @RemoteFunction String echo(String text);
        }
        """,
  };

  static final String[] ACCOUNTS = {
    "test.Accounts", """
        package test;

        import dev.parley.RemoteFunction;
        import dev.parley.Session;

        public class Accounts {
          @RemoteFunction
          public String login(String user, Session session) {
            session.attributes().put("user", user);
            return "hello " + user;
          }

          @RemoteFunction(idempotent = true)
          public long count(Session session, boolean all) {
            return all ? 2 : 1;
          }

          public String notRemote() { return "local"; }
        }
        """,
  };

  static String[] join(String[]... parts) {
    return Arrays.stream(parts).flatMap(Arrays::stream).toArray(String[]::new);
  }
}
