package dev.parley.samples;

import dev.parley.client.ClientModule;
import dev.parley.crypto.SecureKey;
import dev.parley.samples.chat.Chat;
import dev.parley.samples.chat.ChatClient;
import dev.parley.samples.chat.ChatFunctions;
import dev.parley.samples.chat.ChatImpl;
import dev.parley.server.RpcServer;
import dev.parley.server.ServerModule;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Server push by long poll: two clients chat through an encrypted module whose {@code listen}
 * function is a delayed call ({@link dev.parley.server.DelayedCalls}). Bob's {@code listen} waits
 * on the server until Ann says something; a listener in a quiet room is answered with no messages
 * when the server's wait (one second here) ends.
 *
 * <p>Run it with {@code java -cp samples/target/parley-demo.jar dev.parley.samples.ChatDemo} (the
 * {@link Demo} also runs it).
 */
public final class ChatDemo {
  private ChatDemo() {}

  public static void main(String[] args) {
    int failures;
    try {
      failures = run(System.out);
    } catch (RuntimeException e) {
      System.out.println("FAIL the demo stopped: " + e);
      failures = 1;
    }
    System.out.println(failures == 0 ? "ChatDemo finished: every message arrived as expected."
        : "ChatDemo finished with " + failures + " unexpected result(s).");
    System.exit(failures == 0 ? 0 : 1);
  }

  /** Runs the demo, printing to {@code out}; returns the number of unexpected results. */
  static int run(PrintStream out) {
    byte[] keyBytes = new byte[32];
    new SecureRandom().nextBytes(keyBytes);
    SecureKey serverKey = SecureKey.fromBytes(keyBytes);
    SecureKey annKey = SecureKey.fromBytes(keyBytes);
    SecureKey bobKey = SecureKey.fromBytes(keyBytes);
    Arrays.fill(keyBytes, (byte) 0);
    ChatImpl chat = new ChatImpl(Duration.ofSeconds(1));
    int failures = 0;
    try (RpcServer server = RpcServer.builder()
            .host("127.0.0.1")
            .port(0)
            .module(ServerModule.builder("/chat").secureKey(serverKey).functions(new ChatFunctions(chat)).build())
            .build()
            .start();
        ClientModule annModule = ClientModule.builder(server.uri() + "/chat").secureKey(annKey).build();
        ClientModule bobModule = ClientModule.builder(server.uri() + "/chat").secureKey(bobKey).build()) {
      out.println("Chat on an encrypted module " + server.uri() + "/chat: listen() is a delayed call");
      ChatClient ann = new ChatClient(annModule);
      ChatClient bob = new ChatClient(bobModule);

      CompletableFuture<List<Chat.Message>> bobListens = bob.listen("lobby", 0);
      ann.say("lobby", "ann", "hello bob");
      failures += expect(out, "push     bob.listen(lobby) after ann said hello", text(bobListens.join()), "ann: hello bob");

      bobListens = bob.listen("lobby", 1);
      long number = ann.say("lobby", "ann", "are you there?");
      failures += expect(out, "push     bob.listen(lobby, after 1)", text(bobListens.join()), "ann: are you there?");
      failures += expect(out, "order    that message's number", number, 2L);
      failures += expect(out, "history  ann.listen(lobby, after 0) answers at once",
          ann.listen("lobby", 0).join().size(), 2);
      failures += expect(out, "timeout  bob.listen(quiet) with nobody talking, after 1 s", bob.listen("quiet", 0).join(),
          List.of());
      failures += expect(out, "server   listeners still waiting", chat.waiting(), 0);
    }
    return failures;
  }

  private static String text(List<Chat.Message> messages) {
    return String.join(" | ", messages.stream().map(m -> m.from() + ": " + m.text()).toList());
  }

  private static int expect(PrintStream out, String what, Object actual, Object expected) {
    boolean ok = expected.equals(actual);
    out.printf("%-4s %s = %s%n", ok ? "ok" : "FAIL", what, actual);
    return ok ? 0 : 1;
  }
}
