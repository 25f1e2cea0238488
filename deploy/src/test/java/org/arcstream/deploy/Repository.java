package org.arcstream.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the checkout the tests run in: the repository root, the deploy folders and the modules. */
public final class Repository {

    private static final Path ROOT = findRoot();

    private Repository() {
    }

    public static Path root() {
        return ROOT;
    }

    public static Path k8s() {
        return ROOT.resolve("deploy/k8s");
    }

    public static Path overlay(String name) {
        return k8s().resolve("overlays").resolve(name);
    }

    /** The folder of the image's Dockerfile: {@code deploy/docker/<image>}. */
    public static Path imageDir(String image) {
        return ROOT.resolve("deploy/docker").resolve(image);
    }

    public static Path dockerImages() {
        return ROOT.resolve("deploy/docker");
    }

    /** Strimzi custom resources for a cluster run by the Strimzi operator. */
    public static Path strimzi() {
        return ROOT.resolve("deploy/strimzi");
    }

    /** Surefire runs in deploy/; walks up to the folder that holds both the root pom and deploy/k8s. */
    private static Path findRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("deploy/k8s"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root with deploy/k8s above " + Path.of("").toAbsolutePath());
    }
}
