package org.arcstream.trainer.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.arcstream.core.cli.CommandLines;
import org.arcstream.core.cli.Json;
import org.arcstream.core.embed.TestTimeAugmentation;
import org.arcstream.core.image.ImageOps;
import org.arcstream.core.model.DefaultFaceModels;
import org.arcstream.core.runtime.InferenceOptions;
import org.arcstream.trainer.data.LabeledCrop;
import org.arcstream.trainer.domainshift.DomainShiftExperiment;
import org.arcstream.trainer.domainshift.DomainShiftExperiment.Measured;
import org.arcstream.trainer.domainshift.DomainShiftExperiment.SeedResult;
import org.arcstream.trainer.finetune.FineTuneSettings;
import org.arcstream.trainer.finetune.TrainingProgress;
import org.arcstream.trainer.gate.SetFigures;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code finetune-experiment}: does fine-tuning adapt the model to a poor camera, and does it pay? Faces are
 * aligned on the original images (as a tracker with landmarks would), filmed by a seeded camera model, and the
 * trainer's run fine-tunes on them; {@link DomainShiftExperiment} measures before and after, beside the
 * mean-embedding baseline, on enrolled people, unseen people, a second camera and clean images. Figures are the
 * median over several seeds (each draws its own split, camera noise and training order).
 */
@Command(name = "finetune-experiment", mixinStandardHelpOptions = true,
        description = "Fine-tune on CCTV-like faces; compare the current model, the fine-tuned one and the mean-embedding baseline "
                + "on enrolled people, unseen people, another camera and clean images (median over seeds).")
public final class FineTuneExperimentCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "FILE.onnx", description = "Starting model (default: the default embedding model).")
    Path model;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "finetune-experiment", description = "Charts and report. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--epochs", defaultValue = "" + FineTuneSettings.EPOCHS, description = "Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--lr", defaultValue = "" + FineTuneSettings.LEARNING_RATE, description = "Default: ${DEFAULT-VALUE}.")
    double learningRate;

    @Option(names = "--optimizer", defaultValue = FineTuneSettings.OPTIMIZER, description = "sgd or adamw. Default: ${DEFAULT-VALUE}.")
    String optimizer;

    @Option(names = "--batch-size", defaultValue = "" + FineTuneSettings.BATCH_SIZE, description = "Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--train-last", defaultValue = "" + FineTuneSettings.TRAIN_LAST_INITIALIZERS,
            description = "Train only the last N weight tensors. Default: ${DEFAULT-VALUE}.")
    int trainLast;

    @Mixin
    AugmentationOptions augmentation;

    @Option(names = "--train-clean-originals", negatable = true, defaultValue = "" + DomainShiftExperiment.TRAIN_ON_CLEAN_ORIGINALS,
            fallbackValue = "true",
            description = "Train on the clean original of each training image beside the camera's (as production trains on "
                    + "enrollment photos beside camera faces). Default: ${DEFAULT-VALUE}.")
    boolean trainOnCleanOriginals;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Mixin
    PooledGalleryOptions populations;

    @Spec
    CommandSpec spec;

    /** Median figures of one model over the seeds. */
    record Figures(@JsonProperty("auc") double auc, @JsonProperty("tar_at_far_1pct") double tarAtFar1) {}

    /** One seed's figures of the three models on one population. */
    record SeedFigures(@JsonProperty("seed") long seed, @JsonProperty("before") SetFigures before, @JsonProperty("after") SetFigures after,
            @JsonProperty("mean_embedding_baseline") SetFigures meanEmbeddingBaseline) {}

    /** A population's medians, the gain in TAR at FAR 1% (median after minus median before) and every seed. */
    record PopulationSummary(@JsonProperty("before") Figures before, @JsonProperty("after") Figures after,
            @JsonProperty("mean_embedding_baseline") Figures meanEmbeddingBaseline, @JsonProperty("tar_gain") double tarGain,
            @JsonProperty("per_seed") List<SeedFigures> perSeed) {}

    @Override
    public Integer call() throws Exception {
        populations.validate(spec);
        CommandLines.requireExisting(spec, model, "--model", CommandLines.PathKind.FILE);
        FineTuneSettings settings = FineTuneSettings.defaults().withTraining(epochs, learningRate, optimizer).withBatch(batchSize, trainLast)
                .withHeldOut(populations.heldOutFraction, populations.heldOutImages).withAugmentation(augmentation.settings(spec));
        Path start = model != null ? model : DefaultFaceModels.ensure(DefaultFaceModels.defaultCacheDir()).embedder();
        List<LabeledCrop> crops = populations.crops(start, TestTimeAugmentation.NONE);
        Files.createDirectories(out);

        List<SeedResult> results = new ArrayList<>();
        for (int i = 0; i < populations.seeds; i++) {
            DomainShiftExperiment experiment = new DomainShiftExperiment(settings.withSeed(populations.seed + i), InferenceOptions.defaults(), trainOnCleanOriginals);
            if (i == 0) {
                Files.write(out.resolve("example-camera.png"), ImageOps.encodePng(experiment.camera().apply(crops.get(0).crop())));
                Files.write(out.resolve("example-other-camera.png"), ImageOps.encodePng(experiment.otherCamera().apply(crops.get(0).crop())));
            }
            TrainingProgress progress = json ? TrainingProgress.NONE : new ProgressBar(System.err);
            SeedResult result = experiment.run(crops, start, out.resolve("seed-" + (populations.seed + i)), progress);
            results.add(result);
            // each seed's figures as soon as it is done: a long run stopped early still leaves its finished seeds
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("run", result);
            result.populations().forEach((name, p) -> figures.put(name, new SeedFigures(result.seed(), p.before().figures(),
                    p.after().figures(), p.meanEmbeddingBaseline().figures())));
            Files.writeString(out.resolve("seed-" + (populations.seed + i)).resolve("figures.json"), Json.pretty(figures));
        }
        Map<String, DomainShiftExperiment.Population> pooled = new LinkedHashMap<>();
        Map<String, Object> result = new LinkedHashMap<>();
        for (String population : DomainShiftExperiment.POPULATIONS) {
            List<DomainShiftExperiment.Population> each = results.stream().map(r -> r.populations().get(population)).toList();
            result.put(population, summary(results, each));
            pooled.put(population, new DomainShiftExperiment.Population(
                    DomainShiftExperiment.union(each.stream().map(DomainShiftExperiment.Population::before).toList()),
                    DomainShiftExperiment.union(each.stream().map(DomainShiftExperiment.Population::after).toList()),
                    DomainShiftExperiment.union(each.stream().map(DomainShiftExperiment.Population::meanEmbeddingBaseline).toList())));
        }
        List<Path> charts = DomainShiftExperiment.writeCharts("pairs of all seeds", pooled, out);
        DomainShiftExperiment first = new DomainShiftExperiment(settings.withSeed(populations.seed), InferenceOptions.defaults());
        result.put("cameras", Map.of("trained", first.camera().describe(), "other", first.otherCamera().describe()));
        result.put("galleries", populations.galleries.stream().map(Path::toString).toList());
        result.put("images", crops.size());
        result.put("seeds", results.stream().map(SeedResult::seed).toList());
        result.put("runs", results);
        result.put("settings", settings.withSeed(populations.seed));
        result.put("train_on_clean_originals", trainOnCleanOriginals);
        result.put("charts", charts.stream().map(Path::toString).toList());
        Files.writeString(out.resolve("report.json"), Json.pretty(result));
        PrintWriter stdout = spec.commandLine().getOut();
        if (json) {
            stdout.println(Json.pretty(result));
        } else {
            printTable(result, stdout);
        }
        stdout.flush();
        return CommandLines.OK;
    }

    private static PopulationSummary summary(List<SeedResult> results, List<DomainShiftExperiment.Population> each) {
        List<SeedFigures> perSeed = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            DomainShiftExperiment.Population p = each.get(i);
            perSeed.add(new SeedFigures(results.get(i).seed(), p.before().figures(), p.after().figures(), p.meanEmbeddingBaseline().figures()));
        }
        Figures before = median(each.stream().map(DomainShiftExperiment.Population::before).toList());
        Figures after = median(each.stream().map(DomainShiftExperiment.Population::after).toList());
        return new PopulationSummary(before, after, median(each.stream().map(DomainShiftExperiment.Population::meanEmbeddingBaseline).toList()),
                after.tarAtFar1() - before.tarAtFar1(), perSeed);
    }

    static Figures median(List<Measured> measured) {
        return new Figures(median(measured.stream().mapToDouble(m -> m.figures().auc()).toArray()),
                median(measured.stream().mapToDouble(m -> m.figures().tarAtFar1()).toArray()));
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static void printTable(Map<String, Object> result, PrintWriter out) {
        out.println("median over seeds " + result.get("seeds") + ", TAR at FAR 1% (AUC)");
        out.printf(Locale.ROOT, "%-14s %-16s %-16s %-16s%n", "", "current", "mean embedding", "fine-tuned");
        for (String population : DomainShiftExperiment.POPULATIONS) {
            PopulationSummary s = (PopulationSummary) result.get(population);
            out.printf(Locale.ROOT, "%-14s %-16s %-16s %-16s%n", population, cell(s.before()), cell(s.meanEmbeddingBaseline()), cell(s.after()));
        }
        out.println("cameras: " + result.get("cameras"));
        out.println("charts and report: " + result.get("charts"));
    }

    private static String cell(Figures f) {
        return String.format(Locale.ROOT, "%.3f (%.4f)", f.tarAtFar1(), f.auc());
    }

    public static void main(String[] args) {
        System.exit(CommandLines.run(new FineTuneExperimentCommand(), args));
    }
}
