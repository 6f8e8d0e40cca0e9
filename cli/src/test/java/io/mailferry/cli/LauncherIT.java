package io.mailferry.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher the build puts next to the jar ({@code target/mailferry}, from
 * {@code src/main/launcher}): it runs the CLI, its first run leaves a class-data-sharing archive
 * behind, later runs load MailFerry's classes from it, and {@code MAILFERRY_CDS=off} runs without.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class LauncherIT {
    private static final Path LAUNCHER = Path.of("target", "mailferry").toAbsolutePath();

    private record Run(int code, String out) {
    }

    private static Run run(Path cdsDir, Map<String, String> env, String... args) throws Exception {
        List<String> command = Stream.concat(Stream.of(LAUNCHER.toString()), Stream.of(args)).toList();
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("MAILFERRY_CDS_DIR", cdsDir.toString());
        pb.environment().remove("MAILFERRY_JAVA_OPTS");
        pb.environment().remove("MAILFERRY_CDS");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("launcher ended").isTrue();
        return new Run(p.exitValue(), out);
    }

    private static Path awaitArchive(Path dir) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            try (Stream<Path> files = Files.list(dir)) {
                var archive = files.filter(f -> f.getFileName().toString().endsWith(".jsa")).findFirst();
                if (archive.isPresent() && !Files.exists(dir.resolve(archive.get().getFileName() + ".lock"))) {
                    return archive.get();
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no archive in " + dir + " after 2 minutes");
    }

    @Test
    void theFirstRunLeavesAnArchiveFromWhichLaterRunsLoadMailFerrysClasses(@TempDir Path dir) throws Exception {
        assertThat(LAUNCHER).as("built by 'mvn package'").isExecutable();
        Path cds = dir.resolve("cds");

        Run first = run(cds, Map.of(), "--version");
        assertThat(first.code()).isZero();
        assertThat(first.out()).containsIgnoringCase("mailferry");
        Path archive = awaitArchive(cds);
        assertThat(Files.size(archive)).isPositive();

        Path classLog = dir.resolve("classes.log");
        Run second = run(cds, Map.of("MAILFERRY_JAVA_OPTS",
                "-XX:TieredStopAtLevel=1 -Xlog:class+load=info:file=" + classLog), "--version");
        assertThat(second.code()).isZero();
        assertThat(second.out()).isEqualTo(first.out());
        assertThat(Files.readAllLines(classLog)).filteredOn(l -> l.contains("io.mailferry.cli.MailFerryCli "))
                .singleElement().asString().contains("shared objects file");
    }

    @Test
    void withCdsOffItRunsWithoutMakingAnArchive(@TempDir Path dir) throws Exception {
        Path cds = dir.resolve("cds");

        Run run = run(cds, Map.of("MAILFERRY_CDS", "off"), "--version");

        assertThat(run.code()).isZero();
        assertThat(run.out()).containsIgnoringCase("mailferry");
        assertThat(cds).doesNotExist();
    }
}
