package org.arcstream.trainer.domainshift;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arcstream.core.embed.TestTimeAugmentation;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.runtime.InferenceOptions;
import org.arcstream.trainer.data.DatasetSplit;
import org.arcstream.trainer.data.LabeledCrop;
import org.arcstream.trainer.domainshift.DomainShiftExperiment.Measured;
import org.arcstream.trainer.finetune.FineTuneSettings;
import org.arcstream.trainer.gate.ModelEvaluator;

/**
 * One seed of the test-time augmentation experiment: a model, without training, measured with each augmentation on
 * the populations of {@link DomainShiftExperiment} ({@code enrolled}, {@code unseen}, {@code other_camera},
 * {@code clean}), filmed by the same two seeded cameras and split the same way.
 *
 * <p>The crops carry a margin (aligned on the original image with the transform translated by it), so the shifted
 * views are re-warps, not padding. The cameras film the crop with its margin: with a margin of 2 the face fills
 * 112 of 116 pixels of what the camera shrinks, 3.4% less than in the fine-tuning experiment, which films the
 * 112-pixel crop. Every augmentation sees the same filmed pixels: one without shifts takes the centre window.
 */
public final class AugmentationExperiment {

    /** Each augmentation's measurement on each population: augmentation name, then population name. */
    public record SeedResult(long seed, Map<String, Map<String, Measured>> byAugmentation) {}

    private final FineTuneSettings settings;
    private final InferenceOptions inference;

    /** @param settings the seed and the held-out split (the training settings are not used) */
    public AugmentationExperiment(FineTuneSettings settings, InferenceOptions inference) {
        this.settings = settings;
        this.inference = inference;
    }

    /**
     * @param withMargin aligned crops with unique sources, each {@code margin} pixels larger than the model's input
     *     on every side
     * @param augmentations by name; none may shift by more than {@code margin}
     */
    public SeedResult run(List<LabeledCrop> withMargin, int margin, Path model, Map<String, TestTimeAugmentation> augmentations) {
        augmentations.forEach((name, tta) -> {
            if (tta.margin() > margin) {
                throw new IllegalArgumentException(name + " shifts by " + tta.shift() + " pixels, more than the crops' margin of " + margin);
            }
        });
        // the same cameras, seeds and split as the fine-tuning experiment's seed
        DomainShiftExperiment cameras = new DomainShiftExperiment(settings, inference);
        List<LabeledCrop> camera = DomainShiftExperiment.degrade(withMargin, cameras.camera());
        List<LabeledCrop> other = DomainShiftExperiment.degrade(withMargin, cameras.otherCamera());
        DatasetSplit split = DatasetSplit.of(camera, settings.seed(), settings.heldOutIdentityFraction(),
                settings.heldOutImagesPerIdentity());
        DatasetSplit otherSplit = DomainShiftExperiment.carry(split, other), cleanSplit = DomainShiftExperiment.carry(split, withMargin);

        Map<String, Map<String, Measured>> byAugmentation = new LinkedHashMap<>();
        augmentations.forEach((name, tta) -> {
            int trim = margin - tta.margin();
            ModelEvaluator evaluator = new ModelEvaluator(inference, 32, tta);
            var onCamera = evaluator.evaluate(model, trimmed(split, trim));
            Map<String, Measured> populations = new LinkedHashMap<>();
            populations.put("enrolled", DomainShiftExperiment.images(onCamera));
            populations.put("unseen", DomainShiftExperiment.identities(onCamera));
            populations.put("other_camera", DomainShiftExperiment.images(evaluator.evaluate(model, trimmed(otherSplit, trim))));
            populations.put("clean", DomainShiftExperiment.pooled(evaluator.evaluate(model, trimmed(cleanSplit, trim))));
            byAugmentation.put(name, populations);
        });
        return new SeedResult(settings.seed(), byAugmentation);
    }

    /** The split with {@code by} pixels cut from every side of every crop. */
    static DatasetSplit trimmed(DatasetSplit split, int by) {
        if (by == 0) {
            return split;
        }
        return new DatasetSplit(trimmed(split.training(), by), trimmed(split.heldOutImages(), by), trimmed(split.heldOutIdentities(), by));
    }

    private static List<LabeledCrop> trimmed(List<LabeledCrop> crops, int by) {
        return crops.stream().map(c -> {
            RgbImage crop = c.crop();
            int size = crop.width() - 2 * by;
            return new LabeledCrop(c.identity(), c.source(), new TestTimeAugmentation(false, by).centre(crop, size), c.camera());
        }).toList();
    }
}
