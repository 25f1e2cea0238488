package org.arcstream.demo.drill;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;

/**
 * A service module's packaged jar and runtime libraries ({@code target/arcstream-MODULE.jar} and
 * {@code target/lib}), the class path its image ships (deploy/docker/MODULE/Dockerfile copies the same files).
 * Maven makes them in the {@code package} phase, which a reactor build runs for every module before the tests of
 * the modules that depend on it: {@code mvn verify}, or {@code mvn -pl demo -am verify -Dtest=...}.
 */
final class PackagedService {

    private PackagedService() {}

    /** The class path of {@code module}; fails, saying how to build it, when it is missing or older than the module's classes. */
    static String classPath(Path repository, String module) {
        Path target = repository.resolve(module).resolve("target");
        Path jar = target.resolve("arcstream-" + module + ".jar");
        Path lib = target.resolve("lib");
        if (!Files.isRegularFile(jar) || !Files.isDirectory(lib)) {
            throw new IllegalStateException(jar + " or " + lib + " is missing: package the module first, "
                    + "e.g. mvn -B -pl demo -am verify -Dtest=SeparateProcessesTest -Dsurefire.failIfNoSpecifiedTests=false");
        }
        FileTime classes = newest(target.resolve("classes"));
        try {
            if (Files.getLastModifiedTime(jar).compareTo(classes) < 0) {
                throw new IllegalStateException(jar + " is older than the module's classes: package it again (mvn ... verify, not test)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return jar + System.getProperty("path.separator") + lib.resolve("*");
    }

    private static FileTime newest(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(f -> {
                try {
                    return Files.getLastModifiedTime(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).max(FileTime::compareTo).orElse(FileTime.fromMillis(0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
