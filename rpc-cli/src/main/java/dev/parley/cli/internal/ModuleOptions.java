package dev.parley.cli.internal;

import dev.parley.client.ClientModule;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import picocli.CommandLine.Option;

/**
 * The options that say how to reach a module, shared by {@code describe} and {@code call}: a
 * SecureKey file and key id, or a client config file; a timeout; the wire log.
 *
 * <p>There is deliberately no option that takes the SecureKey itself: a key on the command line is
 * visible to every user of the machine ({@code ps}) and stays in the shell's history.
 */
final class ModuleOptions {
  @Option(names = "--secure-key-file", paramLabel = "FILE",
      description = "Encrypt: FILE holds the module's SecureKey (hex or base64, as 'parley keygen' writes"
          + " it). Implies encryption; plain calls are never sent.")
  Path secureKeyFile;

  @Option(names = "--key-id", paramLabel = "ID",
      description = "The key id the module knows the SecureKey by, 0..255 (default 0; key rotation).")
  Integer keyId;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Read the client settings from a config file (YAML .yml/.yaml or .properties, the keys"
          + " of docs/CONFIG.md; PARLEY_* environment variables override it). The URL may then be left out;"
          + " options given here win over the file.")
  Path config;

  @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Give up after DURATION (500ms, 30s, 2m, PT30S; 0 = no limit): the limit for connecting,"
          + " for each read and write, and for the whole call. Default: the client's (10s to connect,"
          + " 60s per call).")
  Duration timeout;

  @Option(names = "--wait",
      description = "Wait for a server that is down or stopping: try again (50ms, doubling to 1s between"
          + " attempts) until the call timeout (--timeout) runs out. Default: fail at once, exit status 2.")
  boolean waitForServer;

  @Option(names = {"-v", "--verbose"},
      description = "Show the HTTP exchanges on standard error: request and status lines, headers, body sizes;"
          + " plain JSON bodies in full. Sealed and handshake bodies are shown as sizes only; keys never.")
  boolean verbose;

  @Option(names = "--show-plaintext",
      description = "With --verbose (implies it): also show what the CLI handed to the client for sealing"
          + " (the function and its params). The decrypted frames themselves are not reachable through"
          + " Parley's client API.")
  boolean showPlaintext;

  boolean logsWire() {
    return verbose || showPlaintext;
  }

  /**
   * Builds the client module for {@code url} (null: the config file's URL).
   *
   * @throws CliUsage no URL and no config file, or a URL that differs from the config file's
   */
  Remote open(String url, PrintWriter err) {
    if (url == null && config == null) {
      throw new CliUsage("missing URL: give the module's URL (http://host:port/path) or --config FILE");
    }
    if (logsWire()) {
      // The client logs through SLF4J (simplelogger.properties: warnings only): --verbose adds its
      // INFO lines (a fallback to plain calls, for instance). Set before the client's loggers exist.
      System.setProperty("org.slf4j.simpleLogger.log.dev.parley", "info");
    }
    ClientModule.Builder builder = config != null ? ClientModule.fromConfig(config) : ClientModule.builder(url);
    if (secureKeyFile != null) {
      builder.secureKeyFile(secureKeyFile);
    }
    if (keyId != null) {
      builder.secureKeyId(keyId);
    }
    if (timeout != null) {
      builder.connectTimeout(timeout).readTimeout(timeout).writeTimeout(timeout).callTimeout(timeout);
    }
    builder.waitForServer(waitForServer);   // a person at a shell wants to know at once
    WireLog wire = null;
    OkHttpClient http = null;
    if (logsWire()) {
      wire = new WireLog(err, showPlaintext);
      http = new OkHttpClient.Builder().addNetworkInterceptor(wire).build();
      builder.okHttpClient(http);
    }
    ClientModule module;
    try {
      module = builder.build();
    } catch (IllegalStateException e) {
      if (http == null) {
        throw e;
      }
      shutDown(http);
      // The one setting that conflicts with the shared OkHttp client the wire log needs.
      throw new CliFailure("--verbose cannot be used with maxRequestsPerHost from " + config
          + " (it applies only to the client Parley creates itself): leave one of them out");
    } catch (RuntimeException e) {
      shutDown(http);
      throw e;
    }
    if (url != null && config != null && !sameModule(url, module.uri())) {
      module.close();
      shutDown(http);
      throw new CliUsage("the URL " + url + " is not the module " + config + " names (" + module.uri()
          + "): leave the URL out, or leave out --config");
    }
    return new Remote(module, http, wire);
  }

  private static boolean sameModule(String url, URI configured) {
    HttpUrl given = HttpUrl.parse(url.strip());
    return given != null && given.uri().equals(configured);
  }

  private static void shutDown(OkHttpClient http) {
    if (http != null) {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }

  /** An open client module, with the OkHttp client and wire log of {@code --verbose} when asked. */
  record Remote(ClientModule module, OkHttpClient http, WireLog wire) implements AutoCloseable {
    /** Tells the wire log (if any) what the next sealed request carries, for --show-plaintext. */
    void willSeal(String what) {
      if (wire != null) {
        wire.willSeal(what);
      }
    }

    @Override
    public void close() {
      module.close();
      if (http != null) {
        shutDown(http);
      }
    }
  }
}
