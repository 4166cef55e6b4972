package io.codingengine.common.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker beyond loopback: it refuses to listen there without a user, it lets in only
 * clients that give the user's password, and with a key store its TCP port speaks TLS only.
 */
class EmbeddedBrokerAccessTest {

    private static final String USER = "engine";
    private static final String PASSWORD = "s3cret-of-the-test";

    @TempDir
    Path dir;

    @Test
    void listeningBeyondLoopbackWithoutAUserIsRefused() {
        IllegalArgumentException refused = assertThrows(
                IllegalArgumentException.class,
                () -> new EmbeddedArtemisBroker.Listener("0.0.0.0", 0, "", "", null, ""));
        assertTrue(refused.getMessage().contains("refuses to listen on 0.0.0.0 without a user"), refused.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> new EmbeddedArtemisBroker.Listener("0.0.0.0", 0, USER, "", null, ""),
                "a user without a password");
        // Loopback without a user stays the default.
        assertTrue(new EmbeddedArtemisBroker.Listener("127.0.0.1", 0, "", "", null, "").onLoopback());
    }

    @Test
    void onlyClientsWithTheUsersPasswordGetIn() {
        EmbeddedArtemisBroker broker = EmbeddedArtemisBroker.start(
                dir.resolve("broker"), new EmbeddedArtemisBroker.Listener("0.0.0.0", 0, USER, PASSWORD, null, ""));
        try {
            // From another address of this host than loopback, when it has one: what another host sees.
            String url = "tcp://" + HostAddress.nonLoopback().orElse("127.0.0.1") + ":" + port(broker);
            assertSendsAndReceives(new ArtemisBroker(url, USER, PASSWORD));
            assertThrows(QueueException.class, () -> ArtemisSubmissionQueue.connect(url), "no user");
            assertThrows(
                    QueueException.class,
                    () -> ArtemisSubmissionQueue.connect(
                            new ArtemisBroker(url, USER, "guessed"), ArtemisSubmissionQueue.Settings.DEFAULT),
                    "a wrong password");
            assertThrows(QueueException.class, () -> ArtemisReplyChannel.sending(url), "replies need the user too");
            // The api's own clients, in-VM, log in as the user as well.
            try (ArtemisSubmissionQueue inVm =
                    ArtemisSubmissionQueue.connect(broker.inVm(), ArtemisSubmissionQueue.Settings.DEFAULT)) {
                assertEquals(0, inVm.depth(Lane.CONTEST));
            }
        } finally {
            broker.stop();
        }
    }

    @Test
    void withAKeyStoreTheBrokerSpeaksTlsOnly() throws Exception {
        Path keyStore = dir.resolve("broker.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "broker",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=broker",
                        // Workers check that the certificate names the host they dialled.
                        "-ext",
                        "SAN=ip:127.0.0.1",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keyStore.toString(),
                        "-storepass",
                        PASSWORD)
                .redirectErrorStream(true)
                .start();
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, keytool.exitValue(), new String(keytool.getInputStream().readAllBytes()));
        EmbeddedArtemisBroker broker = EmbeddedArtemisBroker.start(
                dir.resolve("broker"),
                new EmbeddedArtemisBroker.Listener("0.0.0.0", 0, USER, PASSWORD, keyStore, PASSWORD));
        try {
            String plain = "tcp://127.0.0.1:" + port(broker);
            // A worker trusts the broker's certificate (here the key store itself holds it).
            String tls = plain + "?sslEnabled=true;trustStorePath=" + keyStore + ";trustStorePassword=" + PASSWORD;
            assertSendsAndReceives(new ArtemisBroker(tls, USER, PASSWORD));
            // The broker never answers a client that does not speak TLS: it gives up after its call timeout.
            assertThrows(
                    QueueException.class,
                    () -> ArtemisSubmissionQueue.connect(
                            new ArtemisBroker(plain + "?callTimeout=2000", USER, PASSWORD),
                            ArtemisSubmissionQueue.Settings.DEFAULT),
                    "plain TCP");
            assertFalse(new ArtemisBroker(tls, USER, PASSWORD).toString().contains(PASSWORD), "logs show no password");
        } finally {
            broker.stop();
        }
    }

    private static void assertSendsAndReceives(ArtemisBroker broker) {
        try (ArtemisSubmissionQueue queue =
                ArtemisSubmissionQueue.connect(broker, ArtemisSubmissionQueue.Settings.DEFAULT)) {
            queue.send(Lane.CONTEST, "s-in", "{}");
            Delivery delivery = queue.receive(Duration.ofSeconds(10)).orElseThrow();
            assertEquals("s-in", delivery.messageId());
            delivery.complete();
        }
    }

    private static int port(EmbeddedArtemisBroker broker) {
        String url = broker.url();
        assertTrue(url.startsWith("tcp://127.0.0.1:"), "0.0.0.0 is reached through loopback on this host: " + url);
        return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
    }
}
