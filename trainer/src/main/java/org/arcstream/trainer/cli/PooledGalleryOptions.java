package org.arcstream.trainer.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.arcstream.core.cli.CommandLines;
import org.arcstream.core.config.Settings;
import org.arcstream.core.embed.EmbeddingModelSpec;
import org.arcstream.core.embed.Preprocessing;
import org.arcstream.core.embed.TestTimeAugmentation;
import org.arcstream.core.model.Sha256;
import org.arcstream.core.pipeline.FacePipeline;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.trainer.data.GalleryCrops;
import org.arcstream.trainer.data.LabeledCrop;
import org.arcstream.trainer.finetune.FineTuneSettings;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The pooled galleries, the split into enrolled and unseen people and the seeds of the domain experiments
 * ({@code finetune-experiment}, {@code tta-experiment}), which must agree so that their populations are the same.
 */
final class PooledGalleryOptions {

    @Option(names = "--gallery", paramLabel = "DIR", required = true,
            description = "One sub-folder of images per identity; repeat to pool several (identities are named GALLERY/PERSON).")
    List<Path> galleries;

    @Option(names = "--heldout-fraction", defaultValue = "" + FineTuneSettings.HELD_OUT_IDENTITY_FRACTION,
            description = "Share of people never trained on (the unseen population). Default: ${DEFAULT-VALUE}.")
    double heldOutFraction;

    @Option(names = "--heldout-images", defaultValue = "" + FineTuneSettings.HELD_OUT_IMAGES_PER_IDENTITY,
            description = "Images of each trained person kept out of training (the enrolled population). Default: ${DEFAULT-VALUE}.")
    int heldOutImages;

    @Option(names = "--seed", defaultValue = "1", description = "The first seed; the others follow it. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--seeds", defaultValue = "3", description = "How many seeds; figures are their median. Default: ${DEFAULT-VALUE}.")
    int seeds;

    /** Refuses galleries that are missing or share a folder name, no seeds and an empty enrolled population. */
    void validate(CommandSpec spec) {
        Set<String> names = new HashSet<>();
        for (Path gallery : galleries) {
            CommandLines.requireExisting(spec, gallery, "--gallery", CommandLines.PathKind.FOLDER);
            if (!names.add(galleryName(gallery))) {
                throw new ParameterException(spec.commandLine(), "two --gallery folders are named " + galleryName(gallery)
                        + ": identities are told apart by the folder's name");
            }
        }
        if (seeds < 1) {
            throw new ParameterException(spec.commandLine(), "--seeds must be at least 1, got " + seeds);
        }
        if (heldOutImages < 1) {
            throw new ParameterException(spec.commandLine(), "--heldout-images must be at least 1: they are the enrolled population");
        }
    }

    /**
     * Every gallery's aligned faces, of the size {@code model} takes (as its metadata says), labelled
     * {@code GALLERY/PERSON}; with a margin around each crop for shifted views when {@code tta} shifts.
     */
    List<LabeledCrop> crops(Path model, TestTimeAugmentation tta) {
        FacePipelineConfig config = FacePipelineConfig.from(Settings.load(null))
                .withEmbedding(EmbeddingModelSpec.load(model, Sha256.modelId(model), Preprocessing.DEFAULT)).withTta(tta);
        List<LabeledCrop> crops = new ArrayList<>();
        try (FacePipeline pipeline = new FacePipeline(config)) {
            for (Path gallery : galleries) {
                GalleryCrops.Loaded loaded = GalleryCrops.load(gallery, pipeline, tta.shift() > 0);
                if (loaded.crops().isEmpty()) {
                    throw new IllegalArgumentException("no face found in any image under " + gallery);
                }
                String prefix = galleryName(gallery) + "/";
                loaded.crops().forEach(c -> crops.add(new LabeledCrop(prefix + c.identity(), c.source(), c.crop())));
            }
        }
        return crops;
    }

    static String galleryName(Path gallery) {
        Path name = gallery.toAbsolutePath().normalize().getFileName();
        return name == null ? gallery.toString() : name.toString();
    }
}
