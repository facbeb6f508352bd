package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class ClientModuleBuilderTest {
  private static String refusal(ClientModule.Builder builder) {
    return assertThrows(IllegalArgumentException.class, builder::build).getMessage();
  }

  @Test
  void fullModuleUrlIsUsedAsGiven() {
    try (ClientModule calc = ClientModule.builder("http://127.0.0.1:8080/calc").build()) {
      assertEquals(URI.create("http://127.0.0.1:8080/calc"), calc.uri());
    }
  }

  @Test
  void baseUrlAndPathAreJoined() {
    try (ClientModule calc = ClientModule.builder("https://api.example.com/v1/").path("/calc").build()) {
      assertEquals(URI.create("https://api.example.com/v1/calc"), calc.uri());
    }
  }

  @Test
  void schemeOtherThanHttpIsRefused() {
    assertEquals("the module URL must start with http:// or https://, got 'ftp://example.com/calc'",
        refusal(ClientModule.builder("ftp://example.com/calc")));
  }

  @Test
  void urlWithoutHostIsRefused() {
    assertTrue(refusal(ClientModule.builder("http:///calc")).startsWith("the module URL has no host"));
  }

  @Test
  void malformedUrlIsRefused() {
    assertTrue(refusal(ClientModule.builder("http://exa mple.com/calc")).startsWith("the module URL is not a valid URL"));
  }

  @Test
  void urlWithQueryIsRefused() {
    assertEquals("the module URL must not have a query ('?x=1'); give only the module's address,"
        + " for example http://127.0.0.1:8080/calc", refusal(ClientModule.builder("http://example.com/calc?x=1")));
  }

  @Test
  void urlWithFragmentIsRefused() {
    assertTrue(refusal(ClientModule.builder("http://example.com/calc#top")).startsWith("the module URL must not have a fragment"));
  }

  @Test
  void urlWithCredentialsIsRefusedWithoutRepeatingThem() {
    String message = refusal(ClientModule.builder("http://alice:s3cret@example.com/calc"));
    assertTrue(message.startsWith("the module URL must not contain user info"), message);
    assertFalse(message.contains("s3cret"), message);
  }

  @Test
  void pathWithoutLeadingSlashIsRefused() {
    assertEquals("the module path must start with '/', got 'calc'",
        refusal(ClientModule.builder("http://example.com").path("calc")));
  }

  @Test
  void negativeTimeoutIsRefusedAtOnce() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClientModule.builder("http://example.com/calc").readTimeout(Duration.ofSeconds(-1)));
    assertEquals("readTimeout must be zero (no limit) or positive, got PT-1S", e.getMessage());
  }

  @Test
  void maxRequestsPerHostBelowOneIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> ClientModule.builder("http://example.com/calc").maxRequestsPerHost(0));
  }

  @Test
  void maxRequestsPerHostWithASharedClientIsRefused() {
    ClientModule.Builder builder = ClientModule.builder("http://example.com/calc")
        .okHttpClient(new OkHttpClient()).maxRequestsPerHost(8);
    IllegalStateException e = assertThrows(IllegalStateException.class, builder::build);
    assertTrue(e.getMessage().contains("set the limit on that client's Dispatcher"), e.getMessage());
  }

  @Test
  void closedModuleRefusesCalls() {
    ClientModule calc = ClientModule.builder("http://127.0.0.1:8080/calc").build();
    calc.close();
    assertThrows(IllegalStateException.class, () -> calc.call("add", null, Integer.class));
  }

  @Test
  void closingLeavesASharedClientRunning() {
    OkHttpClient shared = new OkHttpClient();
    ClientModule.builder("http://127.0.0.1:8080/calc").okHttpClient(shared).build().close();
    assertFalse(shared.dispatcher().executorService().isShutdown());
  }
}
