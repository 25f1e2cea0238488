package org.arcstream.deploy.kustomize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.arcstream.deploy.Repository;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The test renderer against the real one: {@code kubectl kustomize}, where kubectl is installed. */
class KustomizeRenderTest {

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/cpu", "overlays/gpu", "topics-job"})
    void rendersWhatKubectlKustomizeRenders(String folder) throws Exception {
        Path dir = Repository.k8s().resolve(folder);
        String kubectl = onPath("kubectl");
        assumeTrue(kubectl != null, "kubectl is not installed: the rendering is checked by the other tests only");
        Path out = Files.createTempFile("kustomize-", ".yaml");
        try {
            Process process = new ProcessBuilder(kubectl, "kustomize", dir.toString())
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            assertTrue(process.waitFor(2, TimeUnit.MINUTES), "kubectl kustomize did not finish");
            String output = Files.readString(out, StandardCharsets.UTF_8);
            assertEquals(0, process.exitValue(), "kubectl kustomize " + folder + " failed:\n" + output);
            Map<String, Map<String, Object>> expected = byId(YamlFiles.documents(out));
            Map<String, Map<String, Object>> actual = byId(Kustomization.read(dir).render());
            assertEquals(expected.keySet(), actual.keySet());
            for (String id : expected.keySet()) {
                assertEquals(expected.get(id), actual.get(id), folder + ": " + id);
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static Map<String, Map<String, Object>> byId(List<Map<String, Object>> objects) {
        Map<String, Map<String, Object>> byId = new TreeMap<>();
        objects.forEach(o -> byId.put(Kustomization.id(o), o));
        return byId;
    }

    private static String onPath(String command) throws IOException {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
