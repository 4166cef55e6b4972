package io.codingengine.api.migration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.codingengine.api.config.ApiConnectionSettings;
import io.codingengine.common.store.PostgresSchema;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The one-shot command that moves a deployment's data from Azure Storage (or Azurite) into
 * PostgreSQL ({@link StoreCopy}), run with the api's jar while the api and the workers are stopped:
 *
 * <pre>
 * SPRING_DATASOURCE_PASSWORD=… java -Dloader.main=io.codingengine.api.migration.CopyToPostgres \
 *   -cp api.jar org.springframework.boot.loader.launch.PropertiesLauncher \
 *   --coding-engine.storage='&lt;connection string&gt;' --coding-engine.table-prefix=ce \
 *   --spring.datasource.url=jdbc:postgresql://127.0.0.1:15432/codingengine --spring.datasource.username=codingengine
 * </pre>
 *
 * The settings are the api's, named and read as the api reads them (arguments first, then the
 * environment): the storage account as {@code coding-engine.storage} or the endpoints with the
 * managed identity say, {@code coding-engine.table-prefix}, {@code spring.datasource.*}. It brings
 * the database's schema up to date, copies, and prints what it copied per kind; exit status 0, or
 * 1 with the failure (then run it again: what was copied stays, the rest follows).
 */
public final class CopyToPostgres {

    private CopyToPostgres() {}

    public static void main(String[] args) {
        try {
            System.out.println(run(args));
        } catch (RuntimeException e) {
            System.err.println("the copy failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    /** Copies as {@code args} and the environment say; returns the report. */
    static String run(String... args) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SimpleCommandLinePropertySource(args));
        ApiConnectionSettings settings =
                Binder.get(environment).bindOrCreate("coding-engine", ApiConnectionSettings.class);
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(environment.getRequiredProperty("spring.datasource.url"));
        pool.setUsername(environment.getProperty("spring.datasource.username"));
        pool.setPassword(environment.getProperty("spring.datasource.password"));
        pool.setMaximumPoolSize(2);
        pool.setPoolName("copy-to-postgres");
        try (HikariDataSource database = new HikariDataSource(pool)) {
            PostgresSchema.migrate(database);
            StoreCopy copy = new StoreCopy(
                    StoreCopy.Source.of(settings.storageAccount().connect(), settings.getTablePrefix()),
                    StoreCopy.Target.of(database));
            return StoreCopy.report(copy.copy());
        }
    }
}
