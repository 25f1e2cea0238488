package org.arcstream.demo.drill;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * How a model the trainer publishes reaches the embedders in {@link SeparateProcessesTest}: the one place to
 * change when the test is to deliver models another way (an S3 bucket, say).
 */
enum ModelDelivery {

    /**
     * As deploy/k8s/base ships it: the trainer serves its store at {@code GET /models/VERSION.onnx} to the read-only
     * model user, the {@code models} event names that URL, and each embedder downloads it (the trainer's origin is
     * its only allowed host) and checks it against the event's sha256. The manifests' origin is the trainer's
     * Service; here it is the trainer process's own address.
     */
    HTTP {
        @Override
        Map<String, String> trainerEnvironment(Path store, URI trainer) {
            return Map.of("TRAINER_STORE_DIR", store.toString(), "TRAINER_PUBLISH_BASE_URL", trainer.toString());
        }

        @Override
        Map<String, String> embedderEnvironment(URI trainer) {
            return Map.of("EMBEDDER_MODELS_DOWNLOAD_HTTP_HOSTS", trainer.toString());
        }

        @Override
        String location(String version, URI trainer) {
            return trainer + "/models/" + version + ".onnx";
        }
    };

    /** The trainer's settings for this delivery; its keys are keys the shipped trainer Deployment has. */
    abstract Map<String, String> trainerEnvironment(Path store, URI trainer);

    /** Each embedder's settings for it; its keys are keys the shipped embedder Deployment has. */
    abstract Map<String, String> embedderEnvironment(URI trainer);

    /** The location the {@code models} event of {@code version} must carry. */
    abstract String location(String version, URI trainer);
}
