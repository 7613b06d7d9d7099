package org.openitb.telemetry;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS from PEM files, built in memory: trust only the configured CA (or the JDK's own CAs when
 * none is given) and, optionally, present a client certificate. Host names are checked by Paho.
 */
public final class Tls {

    /** PEM files larger than this are refused: a CA bundle is a few hundred KiB at most. */
    static final long PEM_LIMIT_BYTES = 1 << 20;
    private static final Pattern PRIVATE_KEY = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private Tls() {
    }

    /**
     * A socket factory trusting {@code ca} (every certificate in it), or the JDK's default CAs if
     * empty, presenting {@code cert} with {@code key} if given.
     *
     * @throws IOException with a one-line reason naming the file, if a file cannot be read or used
     */
    public static SSLSocketFactory socketFactory(Optional<Path> ca, Optional<Path> cert, Optional<Path> key) throws IOException {
        try {
            TrustManager[] trust = null;
            if (ca.isPresent()) {
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                int i = 0;
                for (Certificate c : certificates(ca.get())) {
                    store.setCertificateEntry("ca-" + i++, c);
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(store);
                trust = tmf.getTrustManagers();
            }
            KeyManager[] keys = null;
            if (cert.isPresent() && key.isPresent()) {
                char[] none = new char[0];
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                store.setKeyEntry("client", privateKey(key.get()), none, certificates(cert.get()).toArray(Certificate[]::new));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(store, none);
                keys = kmf.getKeyManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust, null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS could not be set up: " + e.getMessage(), e);
        }
    }

    private static Collection<? extends Certificate> certificates(Path file) throws IOException {
        try {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(read(file)));
            if (certs.isEmpty()) {
                throw new IOException(file + " holds no PEM certificate");
            }
            return certs;
        } catch (GeneralSecurityException e) {
            throw new IOException(file + " is not a PEM certificate file: " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Path file) throws IOException {
        Matcher m = PRIVATE_KEY.matcher(new String(read(file), StandardCharsets.US_ASCII));
        if (!m.find()) {
            throw new IOException(file + " holds no unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----); convert one with"
                    + " openssl pkcs8 -topk8 -nocrypt");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1)));
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException tryNext) {
                // the PEM does not say which algorithm; the next one may fit
            }
        }
        throw new IOException(file + " holds a private key that is not RSA, EC or Ed25519");
    }

    private static byte[] read(Path file) throws IOException {
        if (Files.size(file) > PEM_LIMIT_BYTES) {
            throw new IOException(file + " is larger than " + PEM_LIMIT_BYTES + " bytes; not a PEM file");
        }
        return Files.readAllBytes(file);
    }
}
