package org.arcstream.demo.drill;

import java.nio.file.Path;
import java.util.Map;

/**
 * How a model the trainer publishes reaches the embedders in {@link SeparateProcessesTest}: the one place to
 * change when the trainer serves its models over HTTP.
 */
enum ModelDelivery {

    /**
     * The trainer's filesystem store: the {@code models} event names the file by a {@code file:} location, which
     * each embedder copies and checks against the event's sha256. Works where every embedder sees the trainer's
     * store at the same path: one machine, as here, or a volume that every pod mounts (the shipped trainer-store
     * claim is ReadWriteOnce, so in a cluster it takes another volume or another delivery).
     */
    FILESYSTEM {
        @Override
        Map<String, String> trainerEnvironment(Path store) {
            return Map.of("TRAINER_STORE_DIR", store.toString());
        }

        @Override
        Map<String, String> embedderEnvironment(Path store) {
            // a file: location is read wherever it points
            return Map.of();
        }

        @Override
        boolean delivers(String location, Path store) {
            return location.startsWith(store.toUri().toString());
        }
    };

    /** The trainer's settings for this delivery; its keys are keys of the shipped trainer Deployment. */
    abstract Map<String, String> trainerEnvironment(Path store);

    /** What each embedder needs for it. */
    abstract Map<String, String> embedderEnvironment(Path store);

    /** True when a published model's location is one this delivery serves from {@code store}. */
    abstract boolean delivers(String location, Path store);
}
