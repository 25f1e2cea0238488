package org.arcstream.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.arcstream.core.config.Settings;
import org.arcstream.core.pipeline.FacePipeline;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.trainer.data.GalleryCrops;
import org.arcstream.trainer.data.LabeledCrop;

/** The LFW sample beside the checkout (system property {@code arcstream.shared.dir}), and small galleries cut from it. */
public final class SharedData {

    private SharedData() {}

    public static Path lfw10() {
        String configured = System.getProperty("arcstream.shared.dir");
        Path dir = (configured != null ? Path.of(configured) : Path.of("../../shared")).resolve("data/lfw10").toAbsolutePath().normalize();
        assumeTrue(Files.isDirectory(dir), "LFW sample not found at " + dir);
        return dir;
    }

    /** A gallery of the first {@code identities} identities with their first {@code images} images each. */
    public static Path smallGallery(Path target, int identities, int images) throws IOException {
        List<Path> people;
        try (Stream<Path> s = Files.list(lfw10())) {
            people = s.filter(Files::isDirectory).sorted().limit(identities).toList();
        }
        for (Path person : people) {
            Path dir = Files.createDirectories(target.resolve(person.getFileName().toString()));
            try (Stream<Path> s = Files.list(person)) {
                for (Path image : s.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(images).toList()) {
                    Files.copy(image, dir.resolve(image.getFileName().toString()));
                }
            }
        }
        return target;
    }

    /** The aligned crops of a {@link #smallGallery}, by the default face pipeline; every image must give its face. */
    public static List<LabeledCrop> smallGalleryCrops(Path target, int identities, int images) throws Exception {
        try (FacePipeline pipeline = new FacePipeline(FacePipelineConfig.from(Settings.load(null)))) {
            GalleryCrops.Loaded loaded = GalleryCrops.load(smallGallery(target, identities, images), pipeline);
            assertEquals(0, loaded.skipped(), "images without a face");
            return loaded.crops();
        }
    }

    /** The default embedding model's file, the one the crops above were embedded with. */
    public static Path defaultEmbeddingModel() {
        return FacePipelineConfig.from(Settings.load(null)).embedding().file();
    }
}
