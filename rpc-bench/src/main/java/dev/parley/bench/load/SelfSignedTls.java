package dev.parley.bench.load;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A self-signed ECDSA P-256 certificate for 127.0.0.1, made at run time (Bouncy Castle's PKIX
 * builder, JDK keys), and the TLS 1.3 contexts of both sides that use and trust it.
 */
final class SelfSignedTls {
  private static final char[] PASSWORD = "bench".toCharArray();

  private final KeyStore keyStore;
  private final KeyStore trustStore;
  private final X509Certificate certificate;
  private final TrustManagerFactory trust;

  SelfSignedTls() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    X500Name name = new X500Name("CN=127.0.0.1");
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
        new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(Duration.ofDays(1))), name, pair.getPublic());
    builder.addExtension(Extension.subjectAlternativeName, false,
        new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
    certificate = new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    keyStore = KeyStore.getInstance("PKCS12");
    keyStore.load(null, null);
    keyStore.setKeyEntry("server", pair.getPrivate(), PASSWORD, new X509Certificate[] {certificate});
    trustStore = KeyStore.getInstance("PKCS12");
    trustStore.load(null, null);
    trustStore.setCertificateEntry("server", certificate);
    trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trustStore);
    if (!InetAddress.getByName("127.0.0.1").isLoopbackAddress()) {
      throw new IllegalStateException("127.0.0.1 is not loopback here");
    }
  }

  /** Jetty's server side: this certificate, TLS 1.3 only. */
  SslContextFactory.Server jettyServer() {
    SslContextFactory.Server factory = new SslContextFactory.Server();
    factory.setKeyStore(keyStore);
    factory.setKeyStorePassword(new String(PASSWORD));
    factory.setIncludeProtocols("TLSv1.3");
    factory.setSniRequired(false);
    return factory;
  }

  KeyManagerFactory keyManagers() throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keyStore, PASSWORD);
    return kmf;
  }

  TrustManagerFactory trustManagers() {
    return trust;
  }

  X509TrustManager trustManager() {
    return (X509TrustManager) trustManagers().getTrustManagers()[0];
  }

  /** A new client context trusting only this certificate (a new one has no sessions to resume). */
  SSLContext clientContext() throws Exception {
    SSLContext context = SSLContext.getInstance("TLSv1.3");
    context.init(null, trustManagers().getTrustManagers(), null);
    return context;
  }
}
