package io.codingengine.common.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL for tests: Debian's server binaries ({@code initdb}, {@code pg_ctl}) make a
 * throw-away cluster in a temporary directory and start it on a free loopback port, once per test
 * JVM; a JVM shutdown hook stops it ({@code pg_ctl stop -m fast}) and deletes the directory.
 * Registered on a test class ({@code @RegisterExtension static final PostgresExtension POSTGRES =
 * new PostgresExtension()}), it gives that class a database of its own, migrated to the stores'
 * schema: {@link #dataSource()}. Spring tests take a fresh, empty database from
 * {@link #newDatabase} for {@code spring.datasource.*}; the application migrates it.
 *
 * <p>PostgreSQL refuses to run as root: as root, the cluster belongs to the system user
 * {@value #OS_USER} (made when missing) and every server command runs as that user through
 * {@code runuser}. The binaries are looked up in {@code $PG_BIN}, else in the newest
 * {@code /usr/lib/postgresql/<version>/bin}. Missing PostgreSQL fails the tests with a message that
 * says how to install it; they are never skipped.
 */
public final class PostgresExtension implements BeforeAllCallback {

    static final String OS_USER = "ce-postgres";
    private static final String HOST = "127.0.0.1";
    private static final String SUPERUSER = "postgres";
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private static Server server;

    private Database database;
    private DataSource dataSource;

    /** A database of this server. */
    public record Database(String name, String jdbcUrl, String user) {

        /** A small pool on this database, closed when the JVM ends. */
        public DataSource dataSource() {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(jdbcUrl);
            config.setUsername(user);
            config.setMaximumPoolSize(8);
            config.setMinimumIdle(1);
            config.setPoolName("test-" + name);
            HikariDataSource pool = new HikariDataSource(config);
            Runtime.getRuntime().addShutdownHook(new Thread(pool::close, "close-" + name));
            return pool;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        database = newDatabase(context.getRequiredTestClass().getSimpleName());
        dataSource = database.dataSource();
        PostgresSchema.migrate(dataSource);
    }

    /** A pool on the migrated database of the test class this extension is registered on. */
    public DataSource dataSource() {
        database();
        return dataSource;
    }

    /** The database of the test class, e.g. for a second pool that stands for another process. */
    public Database database() {
        if (database == null) {
            throw new IllegalStateException("register PostgresExtension with @RegisterExtension on a static field");
        }
        return database;
    }

    /** A pool on a new database migrated to the stores' schema, for a test that needs one of its own. */
    public static DataSource newMigratedDatabase(String hint) {
        DataSource dataSource = newDatabase(hint).dataSource();
        PostgresSchema.migrate(dataSource);
        return dataSource;
    }

    /** A new, empty database on the server (started when needed), named after {@code hint}. */
    public static synchronized Database newDatabase(String hint) {
        Server running = server();
        String name = "t" + DATABASES.incrementAndGet() + "_"
                + hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        name = name.substring(0, Math.min(name.length(), 60));
        String admin = running.jdbcUrl("postgres");
        try (Connection connection = DriverManager.getConnection(admin, SUPERUSER, "");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
        return new Database(name, running.jdbcUrl(name), SUPERUSER);
    }

    /** The running server, started when needed. */
    static synchronized Server server() {
        if (server == null) {
            server = Server.init(freePort());
            // No fsync: this cluster is thrown away; durability is the production cluster's setting.
            server.start("-c fsync=off -c max_connections=300");
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "postgres-stop"));
        }
        return server;
    }

    /**
     * A new cluster that is not started, for a test that runs its server as a process of its own
     * ({@link Server#foregroundCommand}), to kill and restart it: a system test of the database's
     * crashes. Its superuser is {@code postgres}, without a password, on database {@code postgres}.
     */
    public static Server newCluster() {
        return Server.init(freePort());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A cluster: its directory, binaries and port. */
    public record Server(Path directory, Path bin, int port, boolean asOsUser) {

        private static Server init(int port) {
            try {
                Path bin = binaries();
                boolean root = "root".equals(System.getProperty("user.name"));
                Path directory = Files.createTempDirectory("ce-postgres-");
                Server server = new Server(directory, bin, port, root);
                if (root) {
                    ensureOsUser();
                    run(List.of("chown", OS_USER + ":", directory.toString()));
                }
                server.runServerCommand(List.of(
                        bin.resolve("initdb").toString(),
                        "-D",
                        server.data().toString(),
                        "-U",
                        SUPERUSER,
                        "--auth=trust",
                        "--encoding=UTF8",
                        "--no-locale",
                        "--no-sync"));
                return server;
            } catch (IOException e) {
                throw new IllegalStateException("cannot make a PostgreSQL cluster: " + e.getMessage(), e);
            }
        }

        private void start(String settings) {
            try {
                runServerCommand(List.of(
                        bin.resolve("pg_ctl").toString(),
                        "-D",
                        data().toString(),
                        "-l",
                        directory.resolve("server.log").toString(),
                        "-o",
                        options() + " " + settings,
                        "-w",
                        "-t",
                        "60",
                        "start"));
            } catch (IOException e) {
                throw new IllegalStateException("cannot start PostgreSQL: " + e.getMessage(), e);
            }
        }

        /**
         * The server in the foreground, with PostgreSQL's default (durable) settings: as
         * {@value #OS_USER} when this JVM is root, through {@code setpriv}, which execs the server
         * itself, so that killing the process kills the postmaster.
         */
        public List<String> foregroundCommand() {
            List<String> command = new ArrayList<>();
            if (asOsUser) {
                command.addAll(List.of("setpriv", "--reuid=" + OS_USER, "--regid=" + OS_USER, "--clear-groups", "--"));
            }
            command.add(bin.resolve("postgres").toString());
            command.add("-D");
            command.add(data().toString());
            command.addAll(List.of(options().split(" ")));
            return command;
        }

        private String options() {
            return "-p " + port + " -c listen_addresses=" + HOST + " -c unix_socket_directories=" + directory;
        }

        Path data() {
            return directory.resolve("data");
        }

        public String jdbcUrl(String database) {
            return "jdbc:postgresql://" + HOST + ":" + port + "/" + database;
        }

        /** Stops the server if it runs ({@code pg_ctl stop -m fast}) and deletes the cluster. */
        public void stop() {
            if (Files.exists(data().resolve("postmaster.pid"))) {
                try {
                    runServerCommand(List.of(
                            bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "fast", "-w", "stop"));
                } catch (IOException | RuntimeException e) {
                    System.err.println("cannot stop the test PostgreSQL in " + directory + ": " + e.getMessage());
                }
            }
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                System.err.println("cannot delete " + directory + ": " + e.getMessage());
            }
        }

        /** Runs a server binary, as {@value #OS_USER} when this JVM is root. */
        private void runServerCommand(List<String> command) throws IOException {
            List<String> full = new ArrayList<>();
            if (asOsUser) {
                full.addAll(List.of("runuser", "-u", OS_USER, "--"));
            }
            full.addAll(command);
            run(full);
        }

        private static Path binaries() {
            String configured = System.getenv("PG_BIN");
            if (configured != null && !configured.isBlank()) {
                return Path.of(configured);
            }
            Path versions = Path.of("/usr/lib/postgresql");
            if (Files.isDirectory(versions)) {
                try (Stream<Path> dirs = Files.list(versions)) {
                    var newest = dirs.map(dir -> dir.resolve("bin"))
                            .filter(bin -> Files.isExecutable(bin.resolve("initdb")))
                            .max(Comparator.comparingInt(bin -> version(bin.getParent())));
                    if (newest.isPresent()) {
                        return newest.get();
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            throw new IllegalStateException("PostgreSQL is not installed: run scripts/install-deps.sh"
                    + " (apt-get install postgresql), or set PG_BIN to the directory of initdb and pg_ctl");
        }

        private static int version(Path dir) {
            try {
                return Integer.parseInt(dir.getFileName().toString());
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        private static void ensureOsUser() throws IOException {
            if (!osUserExists()) {
                try {
                    run(List.of("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", OS_USER));
                } catch (IllegalStateException e) {
                    if (!osUserExists()) { // else another test JVM made it meanwhile
                        throw e;
                    }
                }
            }
        }

        private static boolean osUserExists() throws IOException {
            return new ProcessBuilder("id", "-u", OS_USER)
                            .start()
                            .onExit()
                            .join()
                            .exitValue()
                    == 0;
        }

        private static void run(List<String> command) throws IOException {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            try {
                String output = new String(process.getInputStream().readAllBytes());
                if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
