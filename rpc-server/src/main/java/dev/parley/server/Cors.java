package dev.parley.server;

import dev.parley.crypto.HttpBinding;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.handler.CrossOriginHandler;

/**
 * CORS for the modules ({@link RpcServer.Builder#corsAllowedOrigins}): Jetty's
 * {@link CrossOriginHandler}, set up for Parley's calls. It answers preflights from allowed origins
 * (POST, Parley's request headers) and marks their answers readable ({@code Parley-Session} and
 * {@code Parley-Draining} exposed); requests from other origins reach the modules without CORS
 * headers, so a browser neither sends a JSON-RPC or sealed call (their content types need a preflight)
 * nor shows the page an answer. Origins are matched exactly (never as regular expressions a look-alike
 * domain could satisfy), or as {@code https://*.example.com} for the subdomains of one domain.
 */
final class Cors {
  static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(10);
  /** What Parley's clients send: the media types, gzip (plain calls) and the session id. */
  static final Set<String> PARLEY_HEADERS = Set.of("Content-Type", "Accept", "Content-Encoding",
      HttpBinding.SESSION_HEADER);
  /** What a browser page must read: a plain session's id, and the mark of a graceful stop. */
  static final Set<String> EXPOSED = Set.of(HttpBinding.SESSION_HEADER, HttpBinding.DRAINING_HEADER);

  private static final Pattern ORIGIN = Pattern.compile(
      "(https?)://(\\*\\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*|\\[[0-9a-f:.]+\\])(:\\d{1,5})?");
  private static final Pattern HEADER = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");
  private static final String LABELS = "([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+";

  private Cors() {}

  /** The origins in lower case, each checked; {@code *} alone or not at all. */
  static List<String> checkOrigins(List<String> origins) {
    if (origins.isEmpty()) {
      throw new IllegalArgumentException("corsAllowedOrigins needs at least one origin, such as"
          + " https://app.example.com");
    }
    Set<String> checked = new LinkedHashSet<>();
    for (String given : origins) {
      String origin = given.strip().toLowerCase(Locale.ROOT);
      if (!origin.equals("*") && !ORIGIN.matcher(origin).matches()) {
        throw new IllegalArgumentException("corsAllowedOrigins: \"" + given + "\" is not an origin; write the scheme,"
            + " host and port of the pages, such as https://app.example.com or http://localhost:5173 (no path, no"
            + " trailing /), https://*.example.com for its subdomains, or * for any page");
      }
      checked.add(origin);
    }
    if (checked.contains("*") && checked.size() > 1) {
      throw new IllegalArgumentException("corsAllowedOrigins: * already allows every origin; give * alone, or list"
          + " the origins");
    }
    return List.copyOf(checked);
  }

  /** Header names, checked as HTTP tokens. */
  static List<String> checkHeaders(List<String> headers) {
    for (String header : headers) {
      if (!HEADER.matcher(header).matches()) {
        throw new IllegalArgumentException("corsAllowedHeaders: \"" + header + "\" is not a header name");
      }
    }
    return List.copyOf(headers);
  }

  /** Jetty's origin patterns: each origin quoted, a {@code *.} subdomain wildcard as whole DNS labels. */
  static Set<String> patterns(List<String> origins) {
    Set<String> patterns = new LinkedHashSet<>();
    for (String origin : origins) {
      int wildcard = origin.indexOf("://*.");
      if (origin.equals("*")) {
        patterns.add("*");
      } else if (wildcard < 0) {
        patterns.add(Pattern.quote(origin));
      } else {
        patterns.add(Pattern.quote(origin.substring(0, wildcard + 3)) + LABELS
            + Pattern.quote(origin.substring(wildcard + 5)));
      }
    }
    return patterns;
  }

  /** Jetty's handler in front of {@code modules}. */
  static CrossOriginHandler handler(List<String> origins, List<String> extraHeaders, boolean credentials,
      Duration maxAge, Handler modules) {
    CrossOriginHandler cors = new CrossOriginHandler();
    cors.setAllowedOriginPatterns(patterns(origins));
    cors.setAllowedMethods(Set.of("POST"));
    Set<String> headers = new LinkedHashSet<>(PARLEY_HEADERS);
    headers.addAll(extraHeaders);
    cors.setAllowedHeaders(headers);
    cors.setExposedHeaders(EXPOSED);
    cors.setAllowCredentials(credentials);   // Jetty's default is true: Parley's is false
    cors.setPreflightMaxAge(maxAge);
    cors.setHandler(modules);
    return cors;
  }
}
