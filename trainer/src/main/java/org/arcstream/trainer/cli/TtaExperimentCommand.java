package org.arcstream.trainer.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.arcstream.core.cli.CommandLines;
import org.arcstream.core.cli.Json;
import org.arcstream.core.embed.TestTimeAugmentation;
import org.arcstream.core.eval.Verification;
import org.arcstream.core.model.DefaultFaceModels;
import org.arcstream.core.runtime.InferenceOptions;
import org.arcstream.trainer.data.LabeledCrop;
import org.arcstream.trainer.domainshift.AugmentationExperiment;
import org.arcstream.trainer.domainshift.DomainShiftExperiment;
import org.arcstream.trainer.domainshift.DomainShiftExperiment.Measured;
import org.arcstream.trainer.finetune.FineTuneSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tta-experiment}: what test-time augmentation (flip; flip and shifts) does for a model, without training, on
 * the populations of {@code finetune-experiment} (the same cameras, seeds and split; see
 * {@link AugmentationExperiment}). Figures are the median over the seeds.
 */
@Command(name = "tta-experiment", mixinStandardHelpOptions = true,
        description = "Test-time augmentation (none, flip, flip and shifts) of the current model on the fine-tuning "
                + "experiment's CCTV-like populations, without training (median over seeds).")
public final class TtaExperimentCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "FILE.onnx", description = "The model (default: the default embedding model).")
    Path model;

    @Option(names = "--shift", paramLabel = "PIXELS", defaultValue = "2", description = "Pixels of the shifted views. Default: ${DEFAULT-VALUE}.")
    int shift;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Mixin
    PooledGalleryOptions populations;

    @Spec
    CommandSpec spec;

    /** Median figures of one augmentation on one population. */
    record Figures(@JsonProperty("auc") double auc, @JsonProperty("tar_at_far_1pct") double tarAtFar1,
            @JsonProperty("tar_at_far_0_1pct") double tarAtFar01, @JsonProperty("per_seed") List<SeedFigures> perSeed) {}

    record SeedFigures(@JsonProperty("seed") long seed, @JsonProperty("auc") double auc, @JsonProperty("tar_at_far_1pct") double tarAtFar1,
            @JsonProperty("tar_at_far_0_1pct") double tarAtFar01, @JsonProperty("same_pairs") int samePairs,
            @JsonProperty("different_pairs") int differentPairs) {}

    @Override
    public Integer call() {
        populations.validate(spec);
        CommandLines.requireExisting(spec, model, "--model", CommandLines.PathKind.FILE);
        if (shift < 1) {
            throw new ParameterException(spec.commandLine(), "--shift must be at least 1 pixel, got " + shift);
        }
        Map<String, TestTimeAugmentation> augmentations = new LinkedHashMap<>();
        augmentations.put("none", TestTimeAugmentation.NONE);
        augmentations.put("flip", new TestTimeAugmentation(true, 0));
        augmentations.put("flip_shift", new TestTimeAugmentation(true, shift));
        FineTuneSettings settings = FineTuneSettings.defaults().withHeldOut(populations.heldOutFraction, populations.heldOutImages);
        Path start = model != null ? model : DefaultFaceModels.ensure(DefaultFaceModels.defaultCacheDir()).embedder();
        // crops with the margin the shifted views need, aligned on the original images
        List<LabeledCrop> crops = populations.crops(start, new TestTimeAugmentation(false, shift));

        List<AugmentationExperiment.SeedResult> results = new ArrayList<>();
        for (int i = 0; i < populations.seeds; i++) {
            results.add(new AugmentationExperiment(settings.withSeed(populations.seed + i), InferenceOptions.defaults()).run(crops, shift, start, augmentations));
            if (!json) {
                spec.commandLine().getErr().println("seed " + (populations.seed + i) + " done");
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        for (String population : DomainShiftExperiment.POPULATIONS) {
            Map<String, Figures> row = new LinkedHashMap<>();
            for (String name : augmentations.keySet()) {
                List<SeedFigures> perSeed = results.stream().map(r -> figures(r.seed(), r.byAugmentation().get(name).get(population))).toList();
                row.put(name, new Figures(median(perSeed.stream().mapToDouble(SeedFigures::auc).toArray()),
                        median(perSeed.stream().mapToDouble(SeedFigures::tarAtFar1).toArray()),
                        median(perSeed.stream().mapToDouble(SeedFigures::tarAtFar01).toArray()), perSeed));
            }
            result.put(population, row);
        }
        DomainShiftExperiment cameras = new DomainShiftExperiment(settings.withSeed(populations.seed), InferenceOptions.defaults());
        result.put("cameras", Map.of("trained", cameras.camera().describe(), "other", cameras.otherCamera().describe()));
        result.put("views", Map.of("none", 1, "flip", 2, "flip_shift", 10));
        result.put("shift", shift);
        result.put("galleries", populations.galleries.stream().map(Path::toString).toList());
        result.put("images", crops.size());
        result.put("seeds", results.stream().map(AugmentationExperiment.SeedResult::seed).toList());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.pretty(result));
        } else {
            printTable(result, augmentations.keySet(), out);
        }
        out.flush();
        return CommandLines.OK;
    }

    private static SeedFigures figures(long seed, Measured m) {
        return new SeedFigures(seed, m.figures().auc(), m.figures().tarAtFar1(), Verification.of(m.pairs()).tarAtFar(0.001),
                m.figures().samePairs(), m.figures().differentPairs());
    }

    private static double median(double[] values) {
        return FineTuneExperimentCommand.median(values);
    }

    @SuppressWarnings("unchecked")
    private static void printTable(Map<String, Object> result, Set<String> augmentations, PrintWriter out) {
        out.println("median over seeds " + result.get("seeds") + ", TAR at FAR 1% / 0.1% (AUC); shift " + result.get("shift") + " px");
        out.printf(Locale.ROOT, "%-14s", "");
        augmentations.forEach(a -> out.printf(Locale.ROOT, " %-24s", a));
        out.println();
        for (String population : DomainShiftExperiment.POPULATIONS) {
            out.printf(Locale.ROOT, "%-14s", population);
            Map<String, Figures> row = (Map<String, Figures>) result.get(population);
            row.values().forEach(f -> out.printf(Locale.ROOT, " %-24s", String.format(Locale.ROOT, "%.3f / %.3f (%.4f)", f.tarAtFar1(),
                    f.tarAtFar01(), f.auc())));
            out.println();
        }
        out.println("cameras: " + result.get("cameras"));
    }

    public static void main(String[] args) {
        System.exit(CommandLines.run(new TtaExperimentCommand(), args));
    }
}
