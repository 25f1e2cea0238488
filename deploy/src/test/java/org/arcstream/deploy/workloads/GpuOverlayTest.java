package org.arcstream.deploy.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.arcstream.deploy.docker.ServiceImage;
import org.arcstream.deploy.kustomize.ImageRef;
import org.arcstream.deploy.kustomize.Kustomization;
import org.arcstream.deploy.kustomize.Rendering;
import org.arcstream.deploy.kustomize.Tree;
import org.junit.jupiter.api.Test;

class GpuOverlayTest {

    private static final String GPU = "nvidia.com/gpu";
    private static final List<String> GPU_SERVICES = List.of("embedder", "trainer");

    @Test
    void embedderAndTrainerGetOneGpuOnGpuNodesWithTheCudaImages() {
        Rendering gpu = Rendering.of("gpu");
        for (String service : GPU_SERVICES) {
            Map<String, Object> deployment = gpu.get("Deployment", service);
            Map<String, Object> container = Rendering.mainContainer(deployment);
            assertEquals(BigDecimal.ONE, WorkloadTest.quantity(container, "limits", GPU), service + " GPU limit");
            assertEquals(BigDecimal.ONE, WorkloadTest.quantity(container, "requests", GPU), service + " GPU request");
            Map<String, Object> pod = Rendering.podSpec(deployment);
            assertFalse(Tree.map(pod, "nodeSelector").isEmpty(), service + " is not pinned to GPU nodes");
            assertTrue(Tree.maps(pod, "tolerations").stream().anyMatch(t -> GPU.equals(t.get("key"))),
                    service + " does not tolerate the GPU nodes' taint");
            ServiceImage image = ServiceImage.forImage(ImageRef.parse(Tree.string(container, "image")).name());
            assertTrue(image.gpu() && image.mavenCommand().contains("-Pgpu"), service + " runs " + image.name());
        }
        Map<String, Object> ingest = Rendering.mainContainer(gpu.get("Deployment", "ingest"));
        assertEquals(BigDecimal.ZERO, WorkloadTest.quantity(ingest, "limits", GPU), "ingest needs no GPU");
    }

    @Test
    void theCpuOverlayAsksForNoGpuAndRunsNoCudaImage() {
        Rendering cpu = Rendering.of("cpu");
        for (Map<String, Object> workload : cpu.workloads()) {
            Map<String, Object> pod = Rendering.podSpec(workload);
            String id = Kustomization.id(workload);
            assertTrue(Tree.map(pod, "nodeSelector").keySet().stream().noneMatch(k -> k.startsWith("nvidia.com/")), id);
            assertTrue(Tree.maps(pod, "tolerations").stream().noneMatch(t -> GPU.equals(t.get("key"))), id);
            for (Map<String, Object> container : Rendering.allContainers(workload)) {
                assertEquals(BigDecimal.ZERO, WorkloadTest.quantity(container, "limits", GPU), id + " " + container.get("name"));
                assertEquals(BigDecimal.ZERO, WorkloadTest.quantity(container, "requests", GPU), id + " " + container.get("name"));
                String image = ImageRef.parse(Tree.string(container, "image")).name();
                if (image.startsWith(ServiceImage.REPOSITORY)) {
                    assertFalse(ServiceImage.forImage(image).gpu(), id + " runs " + image);
                }
            }
        }
    }

    @Test
    void theGpuOverlayRaisesTheEmbeddingBatch() {
        int cpuBatch = Integer.parseInt(Tree.string(Rendering.of("cpu").get("ConfigMap", "arcstream-pipeline"), "data", "ARCSTREAM_EMBEDDING_BATCH_SIZE"));
        int gpuBatch = Integer.parseInt(Tree.string(Rendering.of("gpu").get("ConfigMap", "arcstream-pipeline"), "data", "ARCSTREAM_EMBEDDING_BATCH_SIZE"));
        assertTrue(gpuBatch >= 32 && cpuBatch < gpuBatch, "batch cpu " + cpuBatch + ", gpu " + gpuBatch);
    }
}
