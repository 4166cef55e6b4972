package io.codingengine.api.system;

import io.codingengine.common.store.PostgresExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The OS processes of one system test (a PostgreSQL cluster of its own, the api, workers), their
 * logs under {@code dir}, and their end: stopped in the reverse order of their start, whatever a
 * killed worker left mounted undone, the cluster stopped.
 */
final class SystemProcesses {

    private final Path dir;
    private final PostgresExtension.Server cluster;
    private final List<TestProcess> all = new ArrayList<>();

    /** Makes {@code dir} and a database cluster, and starts the cluster's server (SIGKILL-able, as {@code "postgres"}). */
    SystemProcesses(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir).toAbsolutePath();
        this.cluster = PostgresExtension.newCluster();
    }

    Path dir() {
        return dir;
    }

    /** The JDBC URL of the cluster's {@code postgres} database, as the superuser {@code postgres} without a password. */
    String jdbcUrl() {
        return cluster.jdbcUrl("postgres");
    }

    /** Starts PostgreSQL with its own durable settings (fsync on) and waits until it answers. */
    TestProcess startDatabase() {
        TestProcess database = track(TestProcess.start("postgres", dir, cluster.foregroundCommand()));
        awaitDatabase(database);
        return database;
    }

    /** Waits until the database takes queries (it takes connections a moment before, while it recovers). */
    void awaitDatabase(TestProcess database) {
        JudgeClient.awaitReady(database, Duration.ofSeconds(30), this::databaseAnswers);
    }

    private boolean databaseAnswers() {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), "postgres", "");
                Statement statement = connection.createStatement()) {
            return statement.execute("SELECT 1");
        } catch (SQLException e) {
            return false;
        }
    }

    /** Remembers {@code p} to stop it at the end, or when the test JVM itself is stopped. */
    TestProcess track(TestProcess p) {
        all.add(p);
        Runtime.getRuntime().addShutdownHook(new Thread(p::stop, "stop-" + p.name()));
        return p;
    }

    /** One process per log file (restarted workers are new objects on the same log). */
    Collection<TestProcess> latestByName() {
        Map<String, TestProcess> byName = new LinkedHashMap<>();
        all.forEach(p -> byName.put(p.name(), p));
        return byName.values();
    }

    /** The end of every log, for an assertion message. */
    String logs() {
        return latestByName().stream().map(TestProcess::tail).collect(Collectors.joining("\n"));
    }

    /** Workers first (they hold sandboxes), then the api, then the store. */
    void stopAll() {
        List<TestProcess> order = new ArrayList<>(all);
        Collections.reverse(order);
        for (TestProcess p : order) {
            try {
                p.stop();
            } catch (RuntimeException e) {
                System.err.println("cannot stop " + p.name() + ": " + e);
            }
        }
        unmountLeftovers();
        cluster.stop();
    }

    /** A SIGKILLed worker cannot unmount its boxes (tmpfs, network namespace); the host keeps no trace of the test. */
    private void unmountLeftovers() {
        try {
            List<String> mounts = Files.readAllLines(Path.of("/proc/mounts")).stream()
                    .map(line -> line.split(" ")[1])
                    .filter(m -> m.startsWith(dir.toString()))
                    .sorted(Comparator.reverseOrder())
                    .toList();
            for (String m : mounts) {
                new ProcessBuilder("umount", "-l", m).inheritIO().start().waitFor();
            }
        } catch (IOException e) {
            System.err.println("cannot unmount what the workers left under " + dir + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
