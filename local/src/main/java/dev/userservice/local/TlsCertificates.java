package dev.userservice.local;

import dev.userservice.secrets.PrivateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A certificate authority made for one run, and a server certificate it issued for some host names, as PEM files in
 * a directory: {@code ca.pem} for the clients to trust (the functions' {@code REDIS_CA_CERT}), {@code server.pem}
 * and {@code server-key.pem} (readable by its owner only) for the server. Made by the JDK's own {@code keytool}, so
 * nothing but a JDK is needed; the key store it works in is deleted once the PEM files are written.
 */
public record TlsCertificates(Path authority, Path certificate, Path privateKey) {
    /** Long enough for any run; a new authority is made at every start, so none outlives its use for long. */
    private static final int VALIDITY_DAYS = 30;
    private static final String AUTHORITY_ALIAS = "authority";
    private static final String SERVER_ALIAS = "server";

    /**
     * Issues a certificate naming {@code hosts} (DNS names; an IP address goes in as one) from a new authority, into
     * {@code directory} (created if missing).
     */
    public static TlsCertificates issue(Path directory, String... hosts) {
        try {
            Files.createDirectories(directory);
            Path store = directory.resolve("keytool-" + System.nanoTime() + ".p12");
            char[] password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16)).toCharArray();
            try {
                keytool(password, "-genkeypair", "-alias", AUTHORITY_ALIAS, "-dname", "CN=user-service local CA",
                        "-ext", "bc:c", "-keystore", store.toString());
                keytool(password, "-genkeypair", "-alias", SERVER_ALIAS, "-dname", "CN=" + hosts[0],
                        "-signer", AUTHORITY_ALIAS, "-ext", "san=" + subjectAlternativeNames(hosts),
                        "-ext", "eku=serverAuth", "-keystore", store.toString());
                return writePem(directory, store, password);
            } finally {
                Files.deleteIfExists(store);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot make the TLS certificates in " + directory, e);
        }
    }

    /** TLS for a server presenting this certificate (a test's or the benchmark's own server; redis-server reads the files). */
    public SSLContext serverContext() {
        try {
            byte[] der = Base64.getMimeDecoder().decode(Files.readString(privateKey).replaceAll("-----[A-Z ]+-----", ""));
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
            Certificate served;
            try (InputStream in = Files.newInputStream(certificate)) {
                served = CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(SERVER_ALIAS, key, new char[0], new Certificate[] {served});
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, new char[0]);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the TLS certificate " + certificate, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot use the TLS certificate " + certificate + ": " + e.getMessage(), e);
        }
    }

    private static String subjectAlternativeNames(String... hosts) {
        List<String> names = new ArrayList<>();
        for (String host : hosts) {
            names.add((Character.isDigit(host.charAt(0)) || host.contains(":") ? "ip:" : "dns:") + host);
        }
        return String.join(",", names);
    }

    private static TlsCertificates writePem(Path directory, Path store, char[] password) throws IOException {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(in, password);
            Key serverKey = keys.getKey(SERVER_ALIAS, password);
            Certificate[] chain = keys.getCertificateChain(SERVER_ALIAS);
            TlsCertificates files = new TlsCertificates(directory.resolve("ca.pem"), directory.resolve("server.pem"),
                    directory.resolve("server-key.pem"));
            Files.writeString(files.authority(), pem("CERTIFICATE", keys.getCertificate(AUTHORITY_ALIAS).getEncoded()));
            // The server's certificate alone: its clients trust the authority, which they have from ca.pem.
            Files.writeString(files.certificate(), pem("CERTIFICATE", chain[0].getEncoded()));
            PrivateFiles.write(files.privateKey(), pem("PRIVATE KEY", serverKey.getEncoded()));
            return files;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("keytool made a key store this JDK cannot read: " + e.getMessage(), e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** Runs the keytool of the JDK this process runs on, with a P-256 key, as TLS servers and clients all accept. */
    private static void keytool(char[] password, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                // A short-lived JVM: Lambda's own flags for those start it sooner.
                "-J-XX:TieredStopAtLevel=1", "-J-Xshare:auto"));
        command.addAll(List.of(arguments));
        command.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", Integer.toString(VALIDITY_DAYS),
                "-storetype", "PKCS12", "-storepass:env", "KEYTOOL_PASSWORD", "-noprompt"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // Through the environment, not the command line, where any user of the machine could read it.
        builder.environment().put("KEYTOOL_PASSWORD", new String(password));
        Process keytool = builder.start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                keytool.destroyForcibly();
                throw new IllegalStateException("keytool " + arguments[0] + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while keytool ran", e);
        }
    }
}
