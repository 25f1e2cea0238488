package org.arcstream.deploy.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.arcstream.deploy.Repository;

/**
 * One image of deploy/docker: its folder name is the image name ({@code arcstream/<name>}), its build
 * stage builds one Maven module ({@code mvn -pl <module>}), and its ENTRYPOINT starts a main class.
 */
public record ServiceImage(String name, Dockerfile dockerfile) {

    public static final String REPOSITORY = "arcstream/";
    public static final String INSTALL_DIR = "/opt/arcstream";
    private static final Pattern MODULE = Pattern.compile("\\s-pl\\s+(\\S+)");

    /** Every image folder that holds a Dockerfile. */
    public static List<ServiceImage> all() {
        try (Stream<Path> dirs = Files.list(Repository.dockerImages())) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("Dockerfile"))).sorted()
                    .map(d -> new ServiceImage(d.getFileName().toString(), Dockerfile.read(d.resolve("Dockerfile"))))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The image of {@code arcstream/<name>[:tag]}; an assertion error when deploy/docker has no such folder. */
    public static ServiceImage forImage(String imageName) {
        if (!imageName.startsWith(REPOSITORY)) {
            throw new AssertionError(imageName + " is not an arcstream image");
        }
        String name = imageName.substring(REPOSITORY.length());
        Path file = Repository.imageDir(name).resolve("Dockerfile");
        if (!Files.isRegularFile(file)) {
            throw new AssertionError("image " + imageName + " has no Dockerfile at " + file);
        }
        return new ServiceImage(name, Dockerfile.read(file));
    }

    public boolean gpu() {
        return name.endsWith("-gpu");
    }

    /** The Maven command of the build stage. */
    public String mavenCommand() {
        return dockerfile.stage("build").arguments("RUN").stream().filter(r -> r.contains("mvn ")).findFirst()
                .orElseThrow(() -> new AssertionError(dockerfile.file() + ": the build stage runs no mvn"));
    }

    /** The module the build stage builds ({@code -pl}). */
    public String module() {
        Matcher m = MODULE.matcher(mavenCommand());
        if (!m.find()) {
            throw new AssertionError(dockerfile.file() + ": mvn without -pl <module>");
        }
        return m.group(1);
    }

    public List<String> entrypoint() {
        return dockerfile.finalStage().execForm("ENTRYPOINT");
    }

    /** The main class: the last word of the ENTRYPOINT. */
    public String mainClass() {
        List<String> entrypoint = entrypoint();
        if (entrypoint.isEmpty()) {
            throw new AssertionError(dockerfile.file() + " has no ENTRYPOINT in exec form");
        }
        return entrypoint.get(entrypoint.size() - 1);
    }

    @Override
    public String toString() {
        return name;
    }

    /** The value after {@code -cp} in the ENTRYPOINT, or null. */
    public String classpath() {
        List<String> entrypoint = entrypoint();
        int i = entrypoint.indexOf("-cp");
        return i < 0 || i + 1 >= entrypoint.size() ? null : entrypoint.get(i + 1);
    }
}
