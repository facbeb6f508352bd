package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS from {@link RpcServer.Builder#tlsKeyStore}: a PKCS12 keystore made by the JDK's keytool in
 * this test (a self-signed certificate for localhost and 127.0.0.1), a real Jetty, and a real OkHttp
 * client that trusts that certificate.
 */
class TlsTest {
  private static final String PASSWORD = "parley-test-store";
  private static final String ADD = "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":{\"a\":1,\"b\":2},\"id\":1}";

  @TempDir
  Path dir;
  private Path keyStore;

  @BeforeEach
  void makeKeyStore() throws IOException, InterruptedException {
    keyStore = dir.resolve("server.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "parley", "-keyalg", "EC",
        "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
        "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
        "-storepass", PASSWORD, "-keypass", PASSWORD)
        .redirectErrorStream(true).redirectOutput(dir.resolve("keytool.log").toFile()).start();
    assertEquals(0, process.waitFor(), () -> "keytool failed: " + read(dir.resolve("keytool.log")));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static ServerModule calc() {
    return ServerModule.builder("/calc").functions(new HandWrittenFunctions("test.Calc").add()).build();
  }

  /** An OkHttp client that trusts the keystore's certificate, and only it. */
  private OkHttpClient trusting() throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      store.load(in, PASSWORD.toCharArray());
    }
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("parley", store.getCertificate("parley"));
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trusted);
    X509TrustManager trustManager = (X509TrustManager) factory.getTrustManagers()[0];
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new javax.net.ssl.TrustManager[] {trustManager}, null);
    return new OkHttpClient.Builder().sslSocketFactory(context.getSocketFactory(), trustManager).build();
  }

  private Path serverConfig(String passwordLine) throws IOException {
    Path config = dir.resolve("server.yml");
    Files.writeString(config, "host: 127.0.0.1\nport: 0\ntlsKeyStore: server.p12\n" + passwordLine);
    return config;
  }

  @Test
  void aServerFromConfigServesHttpsWithTheKeystore() throws Exception {
    Files.writeString(dir.resolve("keystore.pass"), PASSWORD + "\n");
    Path config = serverConfig("tlsKeyStorePasswordFile: keystore.pass\ntlsProtocols: [TLSv1.3]\n");
    try (RpcServer server = RpcServer.fromConfig(config, Map.of()).module(calc()).build().start()) {
      assertEquals("https", server.uri().getScheme());
      assertTrue(server.toString().contains("https"), server.toString());
      try (Response answer = trusting().newCall(new Request.Builder().url(server.uri() + "/calc")
          .post(RequestBody.create(ADD, ServerHarness.JSON)).build()).execute()) {
        assertEquals(200, answer.code());
        assertEquals("TLSv1.3", answer.handshake().tlsVersion().javaName());
        assertEquals(3, ServerHarness.tree(answer.body().string()).get("result").asInt());
      }
    }
  }

  @Test
  void theKeystorePasswordMayComeFromTheEnvironmentOrFromCode() throws Exception {
    Path config = serverConfig("");
    try (RpcServer server = RpcServer.fromConfig(config, Map.of("PARLEY_TLS_KEY_STORE_PASSWORD", PASSWORD))
        .module(calc()).build().start()) {
      try (Response answer = trusting().newCall(new Request.Builder().url(server.uri() + "/calc")
          .post(RequestBody.create(ADD, ServerHarness.JSON)).build()).execute()) {
        assertEquals(200, answer.code());
      }
    }
    try (RpcServer server = RpcServer.builder().host("127.0.0.1").port(0).tlsKeyStore(keyStore)
        .tlsKeyStorePassword(PASSWORD.toCharArray()).module(calc()).build().start()) {
      try (Response answer = trusting().newCall(new Request.Builder().url(server.uri() + "/calc")
          .post(RequestBody.create(ADD, ServerHarness.JSON)).build()).execute()) {
        assertEquals(200, answer.code());
      }
    }
  }

  @Test
  void aWrongPasswordFailsAtBuildNamingTheKeystoreAndTheFileButNeverThePassword() throws IOException {
    Files.writeString(dir.resolve("keystore.pass"), "not-the-password-42");
    Path config = serverConfig("tlsKeyStorePasswordFile: keystore.pass\n");
    RpcServer.Builder builder = RpcServer.fromConfig(config, Map.of()).module(calc());
    ConfigException e = assertThrows(ConfigException.class, builder::build);
    assertEquals("tlsKeyStore", e.key().orElseThrow());
    assertTrue(e.getMessage().contains("tlsKeyStore in file " + config), e.getMessage());
    assertTrue(e.getMessage().contains(keyStore.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("keystore.pass"), "names where the password came from: " + e.getMessage());
    assertFalse(e.getMessage().contains("not-the-password-42"), e.getMessage());
  }

  @Test
  void aPasswordWrittenInTheConfigFileIsRefused() throws IOException {
    Path config = serverConfig("tlsKeyStorePassword: " + PASSWORD + "\n");
    ConfigException e = assertThrows(ConfigException.class, () -> RpcServer.fromConfig(config, Map.of()));
    assertEquals("tlsKeyStorePassword", e.key().orElseThrow());
    assertTrue(e.getMessage().contains("a password does not belong in a config file"), e.getMessage());
    assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
  }

  @Test
  void aMissingKeystoreFailsNamingTheKeyAndTheFile() throws IOException {
    Files.delete(keyStore);
    Files.writeString(dir.resolve("keystore.pass"), PASSWORD);
    Path config = serverConfig("tlsKeyStorePasswordFile: keystore.pass\n");
    ConfigException e = assertThrows(ConfigException.class,
        () -> RpcServer.fromConfig(config, Map.of()).module(calc()).build());
    assertEquals("tlsKeyStore", e.key().orElseThrow());
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    assertTrue(e.getMessage().contains(config.toString()), e.getMessage());
  }

  @Test
  void aKeystoreWithoutItsPasswordIsRefused() throws IOException {
    Path config = serverConfig("");
    ConfigException e = assertThrows(ConfigException.class,
        () -> RpcServer.fromConfig(config, Map.of()).module(calc()).build());
    assertTrue(e.getMessage().contains("PARLEY_TLS_KEY_STORE_PASSWORD"), e.getMessage());
  }

  @Test
  void anOldTlsProtocolIsRefused() throws IOException {
    Files.writeString(dir.resolve("keystore.pass"), PASSWORD);
    Path config = serverConfig("tlsKeyStorePasswordFile: keystore.pass\ntlsProtocols: TLSv1.1\n");
    ConfigException e = assertThrows(ConfigException.class, () -> RpcServer.fromConfig(config, Map.of()));
    assertEquals("tlsProtocols", e.key().orElseThrow());
    assertTrue(e.getMessage().contains("tlsProtocols in file " + config), e.getMessage());
  }

  @Test
  void h2cCannotGoWithTls() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RpcServer.builder().module(calc())
        .tlsKeyStore(keyStore).tlsKeyStorePassword(PASSWORD.toCharArray()).http2Cleartext(true).build());
    assertTrue(e.getMessage().contains("http2Cleartext"), e.getMessage());
  }

  @Test
  void aPasswordFileGivenInCodeIsReadAtBuildAndAMissingOneIsNamed() throws Exception {
    Path passwordFile = dir.resolve("code.pass");
    RpcServer.Builder missing = RpcServer.builder().module(calc()).tlsKeyStore(keyStore)
        .tlsKeyStorePasswordFile(passwordFile);
    ConfigException e = assertThrows(ConfigException.class, missing::build);
    assertEquals("tlsKeyStorePasswordFile", e.key().orElseThrow());
    assertTrue(e.getMessage().contains(passwordFile.toString()) && e.getMessage().contains("does not exist"),
        e.getMessage());
    Files.writeString(passwordFile, PASSWORD);
    try (RpcServer server = RpcServer.builder().host("127.0.0.1").port(0).module(calc()).tlsKeyStore(keyStore)
        .tlsKeyStorePasswordFile(passwordFile).build().start()) {
      try (Response answer = trusting().newCall(new Request.Builder().url(server.uri() + "/calc")
          .post(RequestBody.create(ADD, ServerHarness.JSON)).build()).execute()) {
        assertEquals(200, answer.code());
      }
    }
  }
}
