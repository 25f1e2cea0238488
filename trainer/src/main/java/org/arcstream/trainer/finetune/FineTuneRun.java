package org.arcstream.trainer.finetune;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.arcstream.core.embed.EmbeddingModelSpec;
import org.arcstream.core.embed.Embeddings;
import org.arcstream.core.embed.FaceEmbedder;
import org.arcstream.core.embed.Preprocessing;
import org.arcstream.core.embed.PreprocessingMetadata;
import org.arcstream.core.model.DynamicBatchRewriter;
import org.arcstream.core.model.Sha256;
import org.arcstream.core.runtime.InferenceOptions;
import org.arcstream.core.runtime.OnnxModels;
import org.arcstream.trainer.data.DatasetSplit;
import org.arcstream.trainer.data.LabeledCrop;
import org.arcstream.trainer.gate.CompactRoc;
import org.arcstream.trainer.gate.GateDecision;
import org.arcstream.trainer.gate.GatePolicy;
import org.arcstream.trainer.gate.ModelEvaluation;
import org.arcstream.trainer.gate.ModelEvaluator;
import org.arcstream.trainer.plot.LineChart;
import org.arcstream.trainer.plot.RocChart;
import org.arcstream.trainer.store.ModelDraft;

/**
 * One fine-tuning run from labeled crops to a gate decision: seeded split, class weights from the
 * current model's centroids, ArcFace training, evaluation of the current and the new model by ONNX
 * Runtime on the held-out sets, the gate, charts, and publishing when the gate accepts.
 */
public final class FineTuneRun {

    private final FineTuneSettings settings;
    private final GatePolicy gate;
    private final InferenceOptions inference;

    public FineTuneRun(FineTuneSettings settings, GatePolicy gate, InferenceOptions inference) {
        this.settings = settings;
        this.gate = gate;
        this.inference = inference;
    }

    /**
     * @param currentModel the model in use, the starting point and the gate's reference
     * @param workDir receives the candidate model, the charts and report files
     * @param skippedInputs images the data source could not use, for the report
     */
    public RunReport run(List<LabeledCrop> crops, int skippedInputs, Path currentModel, Path workDir, ModelSink sink,
            TrainingProgress progress) {
        return run(crops, crop -> List.of(), skippedInputs, currentModel, workDir, sink, progress);
    }

    /**
     * @param otherViews further images of a training crop's photo (the same person and moment, e.g. the clean original
     *     of a camera's image), trained on beside it; never evaluated, and never looked up for held-out crops, so they
     *     cannot leak the held-out images into training
     */
    public RunReport run(List<LabeledCrop> crops, Function<LabeledCrop, List<LabeledCrop>> otherViews, int skippedInputs,
            Path currentModel, Path workDir, ModelSink sink, TrainingProgress progress) {
        long started = System.nanoTime();
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + workDir, e);
        }
        String parent = Sha256.modelId(currentModel);
        // the current model's own preprocessing: the candidate is trained, evaluated and published with it
        Preprocessing preprocessing = PreprocessingMetadata.of(currentModel, Preprocessing.DEFAULT);
        for (LabeledCrop crop : crops) {
            if (crop.width() != preprocessing.inputSize() || crop.height() != preprocessing.inputSize()) {
                throw new IllegalArgumentException("training crop " + crop.source() + " is " + crop.width() + "x"
                        + crop.height() + " but model " + parent + " takes " + preprocessing.inputSize() + "x" + preprocessing.inputSize());
            }
        }
        progress.phase("splitting " + crops.size() + " crops");
        DatasetSplit split = DatasetSplit.of(crops, settings.seed(), settings.heldOutIdentityFraction(), settings.heldOutImagesPerIdentity());
        Map<String, Integer> counts = new LinkedHashMap<>(split.counts());
        counts.put("skipped_inputs", skippedInputs);
        List<LabeledCrop> training = new ArrayList<>(split.training());
        for (LabeledCrop crop : split.training()) {
            for (LabeledCrop view : otherViews.apply(crop)) {
                if (!view.identity().equals(crop.identity()) || view.width() != crop.width() || view.height() != crop.height()) {
                    throw new IllegalArgumentException("a view of " + crop.source() + " (" + view.identity() + ", " + view.width() + "x"
                            + view.height() + ") does not match the crop (" + crop.identity() + ", " + crop.width() + "x" + crop.height() + ")");
                }
                training.add(view);
            }
        }
        if (training.size() > split.training().size()) {
            counts.put("training_other_views", training.size() - split.training().size());
        }

        progress.phase("class weights from centroids of " + split.trainingIdentities().size() + " identities");
        List<String> identities = split.trainingIdentities();
        float[][] weights = centroids(new EmbeddingModelSpec(currentModel, parent, preprocessing), training, identities);

        Path trainable = currentModel;
        if (!OnnxModels.hasDynamicBatch(currentModel)) {
            trainable = DynamicBatchRewriter.rewrite(currentModel, workDir.resolve("base.batch.onnx"));
        }
        progress.phase("training");
        Path candidate = workDir.resolve("candidate.onnx");
        TrainingCurves curves = ArcFaceTrainer.train(trainable, training, identities, weights, preprocessing, settings,
                progress, candidate);
        Lineage.record(candidate, Sha256.hex(currentModel), preprocessing);

        progress.phase("evaluating");
        ModelEvaluator evaluator = new ModelEvaluator(inference, 32);
        ModelEvaluation before = evaluator.evaluate(currentModel, split);
        GateDecision decision;
        try {
            decision = gate.decide(before, evaluator.evaluate(candidate, split));
        } catch (ModelEvaluator.NonFiniteEmbeddingException e) {
            decision = gate.reject(before, e.getMessage());
        }
        List<String> charts = charts(curves, decision, workDir);

        String published = null;
        if (decision.accepted()) {
            progress.phase("publishing");
            published = sink.publish(new ModelDraft(candidate, parent, counts, decision.candidate().metrics(), decision.label(), decision.reason(),
                    CompactRoc.of(decision)));
        }
        return new RunReport(parent, settings, counts, curves, decision, published, charts, (System.nanoTime() - started) / 1e9, List.of());
    }

    /** Each identity's mean embedding under the current model, normalized: the initial ArcFace class weights. */
    private float[][] centroids(EmbeddingModelSpec model, List<LabeledCrop> training, List<String> identities) {
        Map<String, List<LabeledCrop>> byIdentity = new TreeMap<>();
        training.forEach(c -> byIdentity.computeIfAbsent(c.identity(), k -> new ArrayList<>()).add(c));
        float[][] weights = new float[identities.size()][];
        try (FaceEmbedder embedder = new FaceEmbedder(model, inference, 32, false)) {
            for (int i = 0; i < identities.size(); i++) {
                float[] sum = null;
                for (float[] v : embedder.embed(byIdentity.get(identities.get(i)).stream().map(LabeledCrop::crop).toList())) {
                    if (sum == null) {
                        sum = new float[v.length];
                    }
                    for (int k = 0; k < v.length; k++) {
                        sum[k] += v[k];
                    }
                }
                weights[i] = Embeddings.normalize(sum);
            }
        }
        return weights;
    }

    private static List<String> charts(TrainingCurves curves, GateDecision decision, Path dir) {
        double[] steps = new double[curves.stepLoss().length];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = i + 1;
        }
        Path loss = dir.resolve("loss.png"), accuracy = dir.resolve("accuracy.png"), roc = dir.resolve("roc.png");
        new LineChart("ArcFace training loss", "step", "loss").add("batch loss", steps, curves.stepLoss()).write(loss);
        new LineChart("Training accuracy (nearest class weight)", "step", "accuracy")
                .add("batch accuracy", steps, curves.stepAccuracy()).write(accuracy);
        RocChart chart = new RocChart("Held-out verification: current vs fine-tuned model");
        chart.add("current, held-out identities", decision.current().heldOutIdentityPairs());
        if (decision.candidate() != null) {
            chart.add("new, held-out identities", decision.candidate().heldOutIdentityPairs());
        }
        if (!decision.current().heldOutImagePairs().isEmpty()) {
            chart.add("current, held-out images", decision.current().heldOutImagePairs());
            if (decision.candidate() != null) {
                chart.add("new, held-out images", decision.candidate().heldOutImagePairs());
            }
        }
        chart.write(roc);
        return List.of(loss.toString(), accuracy.toString(), roc.toString());
    }
}
