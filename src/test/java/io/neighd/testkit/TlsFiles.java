package io.neighd.testkit;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for localhost and 127.0.0.1 as a kubernetes.io/tls Secret holds it
 * ({@code tls.crt}, {@code tls.key} in PEM), made with the JDK's keytool; and a trust store that
 * trusts it.
 */
public final class TlsFiles {
    public static final String PASSWORD = "changeit";

    private TlsFiles() {
    }

    /** Writes tls.crt, tls.key and trust.p12 into {@code dir}. */
    public static Path create(Path dir) {
        try {
            Path p12 = dir.resolve("key.p12");
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "neighd", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", p12.toString(), "-storepass", PASSWORD)
                    .redirectErrorStream(true).start();
            String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + out);
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(p12)) {
                ks.load(in, PASSWORD.toCharArray());
            }
            PrivateKey key = (PrivateKey) ks.getKey("neighd", PASSWORD.toCharArray());
            Certificate cert = ks.getCertificate("neighd");
            Files.writeString(dir.resolve("tls.crt"), pem("CERTIFICATE", cert.getEncoded()));
            Files.writeString(dir.resolve("tls.key"), pem("PRIVATE KEY", key.getEncoded()));
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("neighd", cert);
            try (var o = Files.newOutputStream(dir.resolve("trust.p12"))) {
                trust.store(o, PASSWORD.toCharArray());
            }
            Files.delete(p12);
            return dir;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** An SSL context that trusts the certificate in {@code dir}. */
    public static javax.net.ssl.SSLContext trusting(Path dir) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(dir.resolve("trust.p12"))) {
                trust.load(in, PASSWORD.toCharArray());
            }
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
