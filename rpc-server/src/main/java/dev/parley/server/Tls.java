package dev.parley.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * HTTPS for {@link RpcServer} ({@link RpcServer.Builder#tlsKeyStore}): the keystore opened and checked
 * at {@code build()} (a wrong password, a file that is not a keystore or holds no private key fails
 * there, with a message that names the keystore and where the password came from, never the
 * password), and Jetty's {@link SslContextFactory.Server} made from it.
 */
final class Tls {
  static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  private Tls() {}

  static String checkType(String type) {
    String upper = type.strip().toUpperCase(Locale.ROOT);
    if (!upper.equals("PKCS12") && !upper.equals("JKS")) {
      throw new IllegalArgumentException("tlsKeyStoreType must be PKCS12 or JKS, was \"" + type + "\"");
    }
    return upper;
  }

  static List<String> checkProtocols(List<String> protocols) {
    if (protocols.isEmpty()) {
      throw new IllegalArgumentException("tlsProtocols needs at least one of " + PROTOCOLS);
    }
    for (String protocol : protocols) {
      if (!PROTOCOLS.contains(protocol)) {
        throw new IllegalArgumentException("tlsProtocols: \"" + protocol + "\" is not offered; choose from " + PROTOCOLS
            + " (older protocols are broken)");
      }
    }
    return List.copyOf(new LinkedHashSet<>(protocols));
  }

  /** The type of {@code file}: the given one, JKS for {@code .jks}, else PKCS12. */
  static String typeOf(Path file, String given) {
    if (given != null) {
      return given;
    }
    return String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT).endsWith(".jks") ? "JKS" : "PKCS12";
  }

  /**
   * Opens the keystore and checks that it holds a private key that opens with the same password.
   *
   * @param where the setting, and where it came from: {@code tlsKeyStore in file /etc/parley/server.yml}
   * @param passwordSource where the password came from, for messages ({@code environment variable …})
   * @param problem makes the exception from a message ({@link dev.parley.ConfigException} for a config value)
   * @throws IllegalArgumentException it cannot be used; the message never shows the password
   */
  static KeyStore open(Path file, String type, char[] password, String where, String passwordSource,
      Function<String, IllegalArgumentException> problem) {
    Path path = file.toAbsolutePath().normalize();
    String what = where + ": the " + type + " keystore " + path;
    if (!Files.isRegularFile(path)) {
      throw problem.apply(what + " does not exist (or is not a file)");
    }
    KeyStore store;
    try (InputStream in = Files.newInputStream(path)) {
      store = KeyStore.getInstance(type);
      store.load(in, password);
    } catch (IOException e) {
      boolean wrongPassword = e.getCause() instanceof UnrecoverableKeyException;
      throw problem.apply(what + (wrongPassword
          ? " does not open with the password from " + passwordSource + " (not shown)"
          : " cannot be read as a " + type + " keystore (" + e.getClass().getSimpleName() + "; a wrong password"
              + " from " + passwordSource + " shows this way too)"));
    } catch (GeneralSecurityException e) {
      throw problem.apply(what + " cannot be read: " + e.getClass().getSimpleName());
    }
    try {
      for (String alias : Collections.list(store.aliases())) {
        if (store.isKeyEntry(alias)) {
          store.getKey(alias, password);   // the key's own password must be the store's
          return store;
        }
      }
    } catch (UnrecoverableKeyException e) {
      throw problem.apply(what + ": its private key has another password than the keystore; give"
          + " both the same password");
    } catch (GeneralSecurityException e) {
      throw problem.apply(what + " cannot be read: " + e.getClass().getSimpleName());
    }
    throw problem.apply(what + " holds no private key (only certificates?); put the server's key"
        + " and certificate chain in it");
  }

  /** Jetty's TLS for the connector; the keystore was opened by {@link #open}. */
  static SslContextFactory.Server contextFactory(KeyStore store, char[] password, List<String> protocols) {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(store);
    ssl.setKeyManagerPassword(new String(password));
    ssl.setIncludeProtocols(protocols.toArray(String[]::new));
    return ssl;
  }
}
