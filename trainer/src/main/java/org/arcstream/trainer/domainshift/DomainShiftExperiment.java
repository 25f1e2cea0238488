package org.arcstream.trainer.domainshift;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arcstream.core.embed.EmbeddingModelSpec;
import org.arcstream.core.embed.Preprocessing;
import org.arcstream.core.eval.ScoredPair;
import org.arcstream.core.eval.Verification;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.model.Sha256;
import org.arcstream.core.runtime.InferenceOptions;
import org.arcstream.trainer.data.DatasetSplit;
import org.arcstream.trainer.data.LabeledCrop;
import org.arcstream.trainer.finetune.FineTuneRun;
import org.arcstream.trainer.finetune.FineTuneSettings;
import org.arcstream.trainer.finetune.RunReport;
import org.arcstream.trainer.finetune.TrainingProgress;
import org.arcstream.trainer.gate.GatePolicy;
import org.arcstream.trainer.gate.ModelEvaluation;
import org.arcstream.trainer.gate.ModelEvaluator;
import org.arcstream.trainer.gate.SetFigures;
import org.arcstream.trainer.plot.RocChart;

/**
 * One seed of the domain-adaptation experiment. Every clean crop is filmed by a seeded camera model; the
 * trainer's own run ({@link FineTuneRun}: split, class weights, ArcFace training, gate) fine-tunes on that
 * camera's images of the enrolled people. The current model, the fine-tuned one and the no-training baseline
 * (that camera's mean embedding subtracted, {@link MeanEmbeddingModel}) are then measured on four populations:
 * <ul>
 *   <li>{@code enrolled}: held-out images of the trained people, same camera, each against every other image of
 *       the trained people (the gate's held-out images);
 *   <li>{@code unseen}: every pair among the images of people training never saw, same camera (the gate's
 *       held-out identities);
 *   <li>{@code other_camera}: the enrolled population filmed by a second camera model training never saw; its
 *       baseline subtracts that camera's own mean embedding (of the training people's images through it);
 *   <li>{@code clean}: the original crops of both populations above, pooled pairs; the baseline applies no
 *       correction there (it belongs to one camera), so it equals the current model.
 * </ul>
 */
public final class DomainShiftExperiment {

    public static final List<String> POPULATIONS = List.of("enrolled", "unseen", "other_camera", "clean");

    /** A model's figures and scored pairs on one population. */
    public record Measured(SetFigures figures, List<ScoredPair> pairs) {}

    /** The current model, the fine-tuned one and the mean-embedding baseline on one population. */
    public record Population(Measured before, Measured after, Measured meanEmbeddingBaseline) {}

    /** One seed's outcome: the run's data counts and gate label, and each population by name. */
    public record SeedResult(
            @JsonProperty("seed") long seed,
            @JsonProperty("data_counts") Map<String, Integer> dataCounts,
            @JsonProperty("gate") String gate,
            @JsonProperty("train_seconds") double trainSeconds,
            @JsonIgnore Map<String, Population> populations) {}

    /** Whether training sees the clean original of each training image beside the camera's, by default. */
    public static final boolean TRAIN_ON_CLEAN_ORIGINALS = true;

    private final FineTuneSettings settings;
    private final InferenceOptions inference;
    private final boolean trainOnCleanOriginals;

    public DomainShiftExperiment(FineTuneSettings settings, InferenceOptions inference) {
        this(settings, inference, TRAIN_ON_CLEAN_ORIGINALS);
    }

    /**
     * @param trainOnCleanOriginals train on the clean original of each training image too, as production trains on
     *     enrollment photos beside camera faces; held-out images stay out of training either way
     */
    public DomainShiftExperiment(FineTuneSettings settings, InferenceOptions inference, boolean trainOnCleanOriginals) {
        this.settings = settings;
        this.inference = inference;
        this.trainOnCleanOriginals = trainOnCleanOriginals;
    }

    public CctvDegradation camera() {
        return CctvDegradation.poorCamera(settings.seed());
    }

    public CctvDegradation otherCamera() {
        // a different stream of randomness than the training camera's, from the same seed
        return CctvDegradation.otherCamera(~settings.seed());
    }

    /**
     * @param clean aligned crops with unique sources, of the starting model's input size
     * @param workDir receives the run's candidate model, charts, the baseline models and this seed's ROC charts
     */
    public SeedResult run(List<LabeledCrop> clean, Path startModel, Path workDir, TrainingProgress progress) {
        progress.phase("filming " + clean.size() + " crops with two camera models");
        List<LabeledCrop> camera = degrade(clean, camera());
        List<LabeledCrop> other = degrade(clean, otherCamera());

        Map<String, LabeledCrop> original = new HashMap<>();
        clean.forEach(c -> original.put(c.source(), c));
        RunReport report = new FineTuneRun(settings, GatePolicy.defaults(), inference).run(camera,
                crop -> trainOnCleanOriginals ? List.of(original.get(crop.source())) : List.of(), 0, startModel, workDir, draft -> null, progress);
        if (report.gate().candidate() == null) {
            throw new IllegalStateException("the fine-tuned model could not be evaluated: " + report.gate().reason());
        }
        // the run's own split, recomputed (DatasetSplit is deterministic), then carried over image by image
        DatasetSplit split = DatasetSplit.of(camera, settings.seed(), settings.heldOutIdentityFraction(),
                settings.heldOutImagesPerIdentity());
        DatasetSplit otherSplit = carry(split, other), cleanSplit = carry(split, clean);

        progress.phase("evaluating the other camera, clean images and the mean-embedding baseline");
        Path candidate = workDir.resolve("candidate.onnx");
        EmbeddingModelSpec start = EmbeddingModelSpec.load(startModel, Sha256.modelId(startModel), Preprocessing.DEFAULT);
        ModelEvaluator evaluator = new ModelEvaluator(inference, 32);
        Path baseline = MeanEmbeddingModel.write(startModel,
                MeanEmbeddingModel.meanEmbedding(start, inference, images(split.training())), workDir.resolve("mean-embedding-camera.onnx"));
        Path otherBaseline = MeanEmbeddingModel.write(startModel,
                MeanEmbeddingModel.meanEmbedding(start, inference, images(otherSplit.training())),
                workDir.resolve("mean-embedding-other-camera.onnx"));
        ModelEvaluation before = report.gate().current(), after = report.gate().candidate();
        ModelEvaluation base = evaluator.evaluate(baseline, split);
        ModelEvaluation otherBefore = evaluator.evaluate(startModel, otherSplit), otherAfter = evaluator.evaluate(candidate, otherSplit),
                otherBase = evaluator.evaluate(otherBaseline, otherSplit);
        ModelEvaluation cleanBefore = evaluator.evaluate(startModel, cleanSplit), cleanAfter = evaluator.evaluate(candidate, cleanSplit);

        Map<String, Population> populations = new LinkedHashMap<>();
        populations.put("enrolled", new Population(images(before), images(after), images(base)));
        populations.put("unseen", new Population(identities(before), identities(after), identities(base)));
        populations.put("other_camera", new Population(images(otherBefore), images(otherAfter), images(otherBase)));
        populations.put("clean", new Population(pooled(cleanBefore), pooled(cleanAfter), pooled(cleanBefore)));
        writeCharts("seed " + settings.seed(), populations, workDir);
        return new SeedResult(settings.seed(), report.dataCounts(), report.gate().label(), report.seconds(), populations);
    }

    /** One ROC chart per population (current, fine-tuned, baseline), files {@code roc-<population>.png}. */
    public static List<Path> writeCharts(String label, Map<String, Population> populations, Path dir) {
        List<Path> files = new ArrayList<>();
        populations.forEach((name, p) -> {
            Path file = dir.resolve("roc-" + name.replace('_', '-') + ".png");
            new RocChart(name.replace('_', ' ') + " (" + label + ")")
                    .add("current model", p.before().pairs())
                    .add("fine-tuned", p.after().pairs())
                    .add("mean-embedding baseline", p.meanEmbeddingBaseline().pairs())
                    .write(file);
            files.add(file);
        });
        return files;
    }

    /** The pairs of several seeds' measurements together, with the figures of the union. */
    public static Measured union(List<Measured> measured) {
        List<ScoredPair> pairs = new ArrayList<>();
        int images = 0;
        for (Measured m : measured) {
            pairs.addAll(m.pairs());
            images += m.figures().images();
        }
        return measure(images, pairs);
    }

    static List<LabeledCrop> degrade(List<LabeledCrop> crops, CctvDegradation camera) {
        return crops.stream().map(c -> new LabeledCrop(c.identity(), c.source(), camera.apply(c.crop()))).toList();
    }

    /** The same partition as {@code split}, of the crops of {@code other} with the same sources. */
    static DatasetSplit carry(DatasetSplit split, List<LabeledCrop> other) {
        Map<String, LabeledCrop> bySource = new HashMap<>();
        for (LabeledCrop c : other) {
            if (bySource.put(c.source(), c) != null) {
                throw new IllegalArgumentException("two crops come from " + c.source() + ": the experiment needs one crop per source");
            }
        }
        return new DatasetSplit(carry(split.training(), bySource), carry(split.heldOutImages(), bySource),
                carry(split.heldOutIdentities(), bySource));
    }

    private static List<LabeledCrop> carry(List<LabeledCrop> crops, Map<String, LabeledCrop> bySource) {
        return crops.stream().map(c -> {
            LabeledCrop match = bySource.get(c.source());
            if (match == null || !match.identity().equals(c.identity())) {
                throw new IllegalArgumentException("no crop of " + c.identity() + " from " + c.source());
            }
            return match;
        }).toList();
    }

    private static List<RgbImage> images(List<LabeledCrop> crops) {
        return crops.stream().map(LabeledCrop::crop).toList();
    }

    static Measured images(ModelEvaluation e) {
        return new Measured(e.heldOutImages(), e.heldOutImagePairs());
    }

    static Measured identities(ModelEvaluation e) {
        return new Measured(e.heldOutIdentities(), e.heldOutIdentityPairs());
    }

    static Measured pooled(ModelEvaluation e) {
        List<ScoredPair> pairs = new ArrayList<>(e.heldOutImagePairs());
        pairs.addAll(e.heldOutIdentityPairs());
        return measure(e.heldOutImages().images() + e.heldOutIdentities().images(), pairs);
    }

    private static Measured measure(int images, List<ScoredPair> pairs) {
        Verification v = Verification.of(pairs);
        return new Measured(new SetFigures(images, v.positives(), v.negatives(), v.auc(), v.tarAtFar(ModelEvaluator.FAR)), List.copyOf(pairs));
    }
}
