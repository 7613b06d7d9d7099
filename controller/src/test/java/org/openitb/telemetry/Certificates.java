package org.openitb.telemetry;

import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway CA, a server certificate for {@code 127.0.0.1} only (so that connecting by another
 * name fails host-name verification) and a client certificate, made with the openssl command.
 * Keys are PKCS#8 PEM, as OpenITB reads them.
 */
public record Certificates(Path ca, Path serverCert, Path serverKey, Path clientCert, Path clientKey) {

    public static Certificates make(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Certificates c = new Certificates(dir.resolve("ca.crt"), dir.resolve("server.crt"), dir.resolve("server.key"),
                dir.resolve("client.crt"), dir.resolve("client.key"));
        Path caKey = dir.resolve("ca.key");
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey.toString(), "-out", c.ca.toString(), "-days", "2",
                "-subj", "/CN=OpenITB test CA");
        signed(dir, c.serverKey, c.serverCert, caKey, c.ca, "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1");
        signed(dir, c.clientKey, c.clientCert, caKey, c.ca, "/CN=bench-01", "extendedKeyUsage=clientAuth");
        // Mosquitto drops to its own user before it reads the key.
        for (Path p : List.of(c.ca, c.serverCert, c.serverKey)) {
            p.toFile().setReadable(true, false);
        }
        return c;
    }

    private static void signed(Path dir, Path key, Path cert, Path caKey, Path ca, String subject, String extension)
            throws IOException, InterruptedException {
        Path csr = dir.resolve(cert.getFileName() + ".csr");
        Path ext = dir.resolve(cert.getFileName() + ".ext");
        Files.writeString(ext, extension + "\n");
        openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", csr.toString(), "-subj", subject);
        openssl(dir, "x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(), "-CAcreateserial",
                "-out", cert.toString(), "-days", "2", "-extfile", ext.toString());
    }

    private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("the TLS tests need the openssl command (apt-get install openssl): " + e.getMessage(), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + out);
        }
    }
}
