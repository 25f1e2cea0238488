package org.arcstream.deploy.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.arcstream.deploy.Repository;
import org.arcstream.deploy.docker.Dockerfile.Stage;
import org.arcstream.deploy.kustomize.ImageRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DockerfileTest {

    private static final Pattern TMPDIR = Pattern.compile("-Djava\\.io\\.tmpdir=(\\S+)");
    private static final Pattern FINAL_NAME = Pattern.compile("<finalName>([^<]+)</finalName>");

    static List<ServiceImage> images() {
        return ServiceImage.all();
    }

    @Test
    void everyServiceAndTheModelFetcherHaveAnImage() {
        Set<String> names = images().stream().map(ServiceImage::name).collect(Collectors.toSet());
        assertEquals(Set.of("ingest", "embedder", "embedder-gpu", "trainer", "trainer-gpu", "models"), names);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void buildsOnJdk17AndRunsOnJre17(ServiceImage image) {
        Dockerfile dockerfile = image.dockerfile();
        assertTrue(dockerfile.stages().size() >= 2, dockerfile.file() + " is not a multi-stage build");
        assertTrue(dockerfile.stage("build").from().matches("maven:[\\w.-]*temurin-17[\\w.-]*"),
                "build stage of " + image.name() + " is not Maven on a JDK 17: " + dockerfile.stage("build").from());
        Stage runtime = dockerfile.finalStage();
        if (image.gpu()) {
            assertTrue(runtime.from().matches("nvidia/cuda:12\\.[\\d.]+-cudnn-runtime-[\\w.]+"),
                    image.name() + " must run on a CUDA 12 cuDNN runtime image: " + runtime.from());
            assertTrue(dockerfile.stage("jre").from().matches("eclipse-temurin:17-jre[\\w.-]*"), dockerfile.stage("jre").from());
            assertTrue(runtime.arguments("COPY").contains("--from=jre /opt/java/openjdk /opt/java/openjdk"),
                    image.name() + " does not add the JRE to the CUDA image");
            assertEquals("/opt/java/openjdk", runtime.env().get("JAVA_HOME"));
            assertTrue(runtime.env().get("PATH").startsWith("/opt/java/openjdk/bin:"), runtime.env().get("PATH"));
        } else {
            assertTrue(runtime.from().matches("eclipse-temurin:17-jre[\\w.-]*"), image.name() + " runs on " + runtime.from());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void gpuImagesAndOnlyThemBuildTheGpuProfile(ServiceImage image) {
        assertEquals(image.gpu(), image.mavenCommand().contains("-Pgpu"), image.name() + ": " + image.mavenCommand());
        assertTrue(image.mavenCommand().contains("-am"), image.name() + " must build the modules it depends on");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void runsAsACreatedNonRootUser(ServiceImage image) {
        Stage runtime = image.dockerfile().finalStage();
        String user = runtime.last("USER");
        assertNotNull(user, image.name() + " runs as root");
        // numeric, so that Kubernetes' runAsNonRoot can verify it
        assertTrue(user.matches("\\d+(:\\d+)?"), image.name() + ": USER " + user + " is not numeric");
        String uid = user.split(":")[0];
        assertNotEquals("0", uid, image.name() + " runs as root");
        assertTrue(runtime.arguments("RUN").stream().anyMatch(r -> r.contains("useradd") && r.contains("--uid " + uid)),
                image.name() + " does not create user " + uid);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void putsTheModuleJarAndItsLibOnTheClasspathLikeTheLauncher(ServiceImage image) throws IOException {
        String module = image.module();
        Path pom = Repository.root().resolve(module).resolve("pom.xml");
        assertTrue(Files.isRegularFile(pom), image.name() + " builds module " + module + ", which has no pom");
        Matcher finalName = FINAL_NAME.matcher(Files.readString(pom));
        assertTrue(finalName.find(), pom + " sets no finalName");
        String jar = finalName.group(1) + ".jar";
        assertEquals("arcstream-" + module + ".jar", jar, "the launcher's jar name");
        assertTrue(image.mavenCommand().contains("target/lib"), image.name() + " does not collect the runtime jars in target/lib");

        List<String> copies = image.dockerfile().finalStage().arguments("COPY");
        String dir = ServiceImage.INSTALL_DIR;
        assertTrue(copies.contains("--from=build /src/" + module + "/target/" + jar + " " + dir + "/"), image.name() + ": " + copies);
        assertTrue(copies.contains("--from=build /src/" + module + "/target/lib/ " + dir + "/lib/"), image.name() + ": " + copies);
        assertEquals(dir + "/" + jar + ":" + dir + "/lib/*", image.classpath(), image.name() + " classpath");
        assertEquals("java", image.entrypoint().get(0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void startsAMainClassThatExistsInItsModule(ServiceImage image) throws IOException {
        String mainClass = image.mainClass();
        String module = image.module();
        assertTrue(mainClass.startsWith("org.arcstream." + module + "."), mainClass + " is not a class of module " + module);
        Path source = Repository.root().resolve(module).resolve("src/main/java").resolve(mainClass.replace('.', '/') + ".java");
        if (!Files.isRegularFile(source)) {
            // a module becomes a service with its application.yml; until it lands, its image cannot be checked
            assumeTrue(Files.isRegularFile(Repository.root().resolve(module).resolve("src/main/resources/application.yml")),
                    module + " is not a service in this checkout yet (no application.yml)");
        }
        assertTrue(Files.isRegularFile(source), image.name() + " starts " + mainClass + ", but " + source + " does not exist");
        assertTrue(Files.readString(source).contains("public static void main(String[] args)"), source + " has no main method");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void runsDjlOfflineWithWritableNativeFolders(ServiceImage image) {
        List<String> entrypoint = image.entrypoint();
        assertTrue(entrypoint.contains("-Dai.djl.offline=true"), image.name() + ": " + entrypoint);
        assertTrue(entrypoint.contains("-Dai.djl.onnx.disable_alternative=true"), image.name() + ": " + entrypoint);
        Stage runtime = image.dockerfile().finalStage();
        String options = runtime.env().get("JDK_JAVA_OPTIONS");
        assertNotNull(options, image.name() + " sets no JDK_JAVA_OPTIONS");
        Matcher tmpdir = TMPDIR.matcher(options);
        assertTrue(tmpdir.find(), image.name() + " leaves java.io.tmpdir (ONNX Runtime's native library) at its default");
        assertTrue(ownedByTheUser(runtime, tmpdir.group(1)), image.name() + ": " + tmpdir.group(1) + " is not created for the user");
        if (!image.module().equals("ingest")) {
            String models = runtime.env().get("ARCSTREAM_MODELS_DIR");
            assertNotNull(models, image.name() + " does not set the models folder");
            assertTrue(ownedByTheUser(runtime, models), image.name() + ": " + models + " is not created for the user");
        }
        if (image.module().equals("embedder") || image.module().equals("trainer")) {
            String cache = runtime.env().get("DJL_CACHE_DIR");
            assertNotNull(cache, image.name() + " does not set DJL_CACHE_DIR");
            assertTrue(ownedByTheUser(runtime, cache), image.name() + ": " + cache + " is not created for the user");
        }
    }

    @Test
    void theGpuTrainerLoadsTheCudaLibtorchOfItsBuildContext() throws IOException {
        ServiceImage trainer = images().stream().filter(i -> i.name().equals("trainer-gpu")).findFirst().orElseThrow();
        Stage runtime = trainer.dockerfile().finalStage();
        String library = runtime.env().get("PYTORCH_LIBRARY_PATH");
        assertNotNull(library, "trainer-gpu does not point DJL at a CUDA libtorch");
        assertTrue(runtime.arguments("COPY").contains("--from=libtorch lib/ " + library + "/"), runtime.arguments("COPY").toString());
        // DJL checks the libtorch version against the one its JNI library was built for: the build's pytorch.version
        Matcher version = Pattern.compile("<pytorch.version>([^<]+)</pytorch.version>").matcher(Files.readString(Repository.root().resolve("pom.xml")));
        assertTrue(version.find(), "the root pom sets no pytorch.version");
        assertEquals(version.group(1), runtime.env().get("PYTORCH_VERSION"));
        // pytorch-jni carries JNI libraries for the flavours cpu and cu128 only
        assertEquals("cu128", runtime.env().get("PYTORCH_FLAVOR"));
        assertTrue(runtime.from().startsWith("nvidia/cuda:12.8"), "CUDA of the base image and of libtorch differ: " + runtime.from());
    }

    @Test
    void theModelFetcherCarriesNpmAndRunsTheModelsCommand() {
        ServiceImage models = images().stream().filter(i -> i.name().equals("models")).findFirst().orElseThrow();
        Stage runtime = models.dockerfile().finalStage();
        assertEquals("org.arcstream.core.cli.ArcstreamCli", models.mainClass());
        assertEquals(List.of("models"), runtime.execForm("CMD"));
        List<String> copies = runtime.arguments("COPY");
        assertTrue(copies.stream().anyMatch(c -> c.startsWith("--from=node ") && c.endsWith(" /usr/local/bin/node")), copies.toString());
        assertTrue(runtime.arguments("RUN").stream().anyMatch(r -> r.contains("/usr/local/bin/npm")), "npm is not on the PATH");
        for (ServiceImage image : images()) {
            if (!image.name().equals("models")) {
                assertFalse(image.dockerfile().finalStage().arguments("COPY").stream().anyMatch(c -> c.contains("node")),
                        image.name() + " carries Node.js; only the model fetcher should");
            }
        }
    }

    @Test
    void theModelFetcherLeavesOutTheOpenCvOfTheBenchmark() {
        // core's OpenCV dependency is optional, so only the image built from core itself could pick it up
        ServiceImage models = images().stream().filter(i -> i.name().equals("models")).findFirst().orElseThrow();
        assertTrue(models.mavenCommand().contains("-DexcludeGroupIds=org.bytedeco"), models.mavenCommand());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void baseImagesNameNoRegistryHostAndHaveATag(ServiceImage image) {
        Set<String> stageNames = image.dockerfile().stages().stream().map(Stage::name).filter(n -> n != null).collect(Collectors.toSet());
        for (Stage stage : image.dockerfile().stages()) {
            if (stageNames.contains(stage.from())) {
                continue;
            }
            ImageRef ref = ImageRef.parse(stage.from());
            assertNull(ref.registryHost(), image.name() + " names a registry host in FROM " + stage.from());
            assertNotNull(ref.tag(), image.name() + ": FROM " + stage.from() + " has no tag");
            assertNotEquals("latest", ref.tag(), image.name() + ": FROM " + stage.from());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void theBuildContextLeavesBuildOutputOut(ServiceImage image) throws IOException {
        Path ignore = image.dockerfile().file().resolveSibling("Dockerfile.dockerignore");
        assertTrue(Files.isRegularFile(ignore), "missing " + ignore);
        List<String> lines = Files.readAllLines(ignore);
        assertTrue(lines.contains("**/target") && lines.contains(".git"), ignore + ": " + lines);
    }

    /** True when a RUN of the stage both creates the folder (or a parent) and hands it to the user. */
    private static boolean ownedByTheUser(Stage stage, String dir) {
        return stage.arguments("RUN").stream().anyMatch(r -> r.contains("mkdir -p") && r.contains("chown")
                && Dockerfile.words(r).stream().anyMatch(w -> dir.equals(w) || dir.startsWith(w + "/")));
    }
}
