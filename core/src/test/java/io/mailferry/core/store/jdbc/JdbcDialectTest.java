package io.mailferry.core.store.jdbc;

import io.mailferry.core.MigrationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.DatabaseMetaData;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Dialect detection, upserts, the schema scripts and connection errors, without a database. */
class JdbcDialectTest {

    static DatabaseMetaData metaData(String product, int major, String version) {
        return (DatabaseMetaData) Proxy.newProxyInstance(JdbcDialectTest.class.getClassLoader(),
                new Class<?>[] {DatabaseMetaData.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getDatabaseProductName" -> product;
                    case "getDatabaseMajorVersion" -> major;
                    case "getDatabaseProductVersion" -> version;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void dialectShouldBeDetectedFromTheProductName() throws Exception {
        assertThat(JdbcDialect.detect(metaData("H2", 2, "2.3.232 (2024-08-11)"))).isEqualTo(JdbcDialect.H2);
        assertThat(JdbcDialect.detect(metaData("PostgreSQL", 15, "15.18"))).isEqualTo(JdbcDialect.POSTGRESQL);
    }

    @Test
    void otherDatabasesShouldBeRefusedByName() {
        assertThatThrownBy(() -> JdbcDialect.detect(metaData("MySQL", 8, "8.0.36")))
                .isInstanceOf(MigrationException.class)
                .hasMessage("The JDBC migration store supports H2 and PostgreSQL, not 'MySQL 8.0.36'");
        assertThatThrownBy(() -> JdbcDialect.detect(metaData("PostgreSQL", 9, "9.6.24")))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("PostgreSQL 10 or newer")
                .hasMessageContaining("9.6.24");
        assertThatThrownBy(() -> JdbcDialect.detect(metaData("H2", 1, "1.4.200")))
                .hasMessageContaining("H2 2 or newer");
    }

    @Test
    void upsertsShouldUseEachDatabasesOwnStatement() {
        List<String> columns = List.of("a", "b", "c");
        assertThat(JdbcDialect.H2.upsert("t", columns, List.of("a", "b")))
                .isEqualTo("MERGE INTO t (a, b, c) KEY (a, b) VALUES (?, ?, ?)");
        assertThat(JdbcDialect.POSTGRESQL.upsert("t", columns, List.of("a")))
                .isEqualTo("INSERT INTO t (a, b, c) VALUES (?, ?, ?) ON CONFLICT (a) DO UPDATE SET b = EXCLUDED.b, c = EXCLUDED.c");
        assertThat(JdbcDialect.POSTGRESQL.upsert("t", List.of("a"), List.of("a")))
                .isEqualTo("INSERT INTO t (a) VALUES (?) ON CONFLICT (a) DO NOTHING");
    }

    @ParameterizedTest
    @EnumSource(JdbcDialect.class)
    void everyDialectShouldHaveScriptsUpToTheSchemaVersionThatRecordThemselves(JdbcDialect dialect) {
        List<SchemaScript> scripts = SchemaScript.load(dialect);
        assertThat(scripts).hasSize(JdbcMigrationStore.SCHEMA_VERSION);
        for (int i = 0; i < scripts.size(); i++) {
            SchemaScript s = scripts.get(i);
            assertThat(s.version()).isEqualTo(i + 1);
            assertThat(JdbcDialect.class.getClassLoader().getResource(dialect.scriptDirectory() + s.name())).isNotNull();
            List<String> statements = s.statements();
            assertThat(statements.get(statements.size() - 1))
                    .as("the last statement of %s records its version", s.name())
                    .contains("mailferry_schema_version").contains("VALUES (" + s.version() + ",");
            assertThat(statements).allSatisfy(sql -> assertThat(sql).doesNotContain(";").doesNotStartWith("--"));
        }
        assertThat(new SchemaMigrator(dialect, scripts).latestVersion()).isEqualTo(JdbcMigrationStore.SCHEMA_VERSION);
    }

    @Test
    void scriptsShouldBeSplitIntoStatements() {
        SchemaScript s = SchemaScript.of("V3__add_things.sql", """
                -- a comment; with a semicolon
                CREATE TABLE a (
                    id INTEGER -- trailing comment kept
                );

                INSERT INTO b VALUES (1);
                """);
        assertThat(s.version()).isEqualTo(3);
        assertThat(s.description()).isEqualTo("add things");
        assertThat(s.statements()).containsExactly("CREATE TABLE a (\nid INTEGER -- trailing comment kept\n)",
                "INSERT INTO b VALUES (1)");
        assertThatThrownBy(() -> SchemaScript.of("V4__x.sql", "CREATE TABLE c (id INTEGER)").statements())
                .hasMessageContaining("ends without a semicolon");
        assertThatThrownBy(() -> SchemaScript.of("initial.sql", ""))
                .hasMessageContaining("V<version>__<description>.sql");
        assertThatThrownBy(() -> new SchemaMigrator(JdbcDialect.H2, List.of(SchemaScript.of("V2__x.sql", ""))))
                .hasMessageContaining("versions 1..1");
    }

    @Test
    void missingDriverShouldBeNamedWithoutTheUrlsSecrets() {
        assertThatThrownBy(() -> JdbcMigrationStore.connect("jdbc:nosuchdb://db.example/state?password=hunter2",
                "mailferry", "also-secret"))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("no JDBC driver on the class path accepts jdbc:nosuchdb: URLs")
                .hasMessageContaining("org.postgresql:postgresql")
                .hasMessageNotContaining("hunter2")
                .hasMessageNotContaining("also-secret")
                .satisfies(e -> assertThat(String.valueOf(e.getCause())).doesNotContain("hunter2"));
    }

    @Test
    void h2FileUrlShouldBeInterruptSafeAndWriteEachCommit() {
        String url = JdbcMigrationStore.h2FileUrl(Path.of("/var/lib/mailferry/state"));
        assertThat(url).isEqualTo("jdbc:h2:async:/var/lib/mailferry/state/mailferry;WRITE_DELAY=0;MAX_COMPACT_TIME=30");
        assertThatThrownBy(() -> JdbcMigrationStore.h2FileUrl(Path.of("/tmp/a;b")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void instantsShouldBeStoredAsNanosecondsWithinTheirRange() {
        assertThat(JdbcMigrationStore.nanos(java.time.Instant.ofEpochSecond(-1, 1), "t")).isEqualTo(-999_999_999L);
        assertThat(JdbcMigrationStore.nanos(java.time.Instant.parse("2262-04-11T23:47:16.854775807Z"), "t"))
                .isEqualTo(Long.MAX_VALUE);
        assertThat(JdbcMigrationStore.nanos(java.time.Instant.parse("1677-09-21T00:12:43.145224192Z"), "t"))
                .isEqualTo(Long.MIN_VALUE);
        assertThatThrownBy(() -> JdbcMigrationStore.nanos(java.time.Instant.parse("2262-04-11T23:47:16.854775808Z"), "t"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
