package org.arcstream.trainer.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.arcstream.core.cli.CommandLines;
import org.arcstream.core.cli.Json;
import org.arcstream.core.config.Settings;
import org.arcstream.core.embed.EmbeddingModelSpec;
import org.arcstream.core.embed.FaceEmbedder;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.image.Tensors;
import org.arcstream.core.model.DefaultFaceModels;
import org.arcstream.core.model.DynamicBatchRewriter;
import org.arcstream.core.model.Sha256;
import org.arcstream.core.pipeline.FacePipeline;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.runtime.InferenceOptions;
import org.arcstream.core.runtime.OnnxModels;
import org.arcstream.trainer.data.GalleryCrops;
import org.arcstream.trainer.data.LabeledCrop;
import org.arcstream.trainer.finetune.ArcFaceTrainer;
import org.arcstream.trainer.finetune.FineTuneRun;
import org.arcstream.trainer.finetune.FineTuneSettings;
import org.arcstream.trainer.finetune.RunReport;
import org.arcstream.trainer.finetune.TrainingCurves;
import org.arcstream.trainer.finetune.TrainingProgress;
import org.arcstream.trainer.gate.GatePolicy;
import org.arcstream.trainer.graph.TrainableOnnxModel;
import org.arcstream.trainer.graph.TrainingDevice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code train-benchmark}: fine-tuning throughput at a batch size, and the time of one complete training
 * run, each next to a baseline measured in the same process on the same crops (forward-only passes of
 * the same interpreter, ONNX Runtime inference), so that the ratios hold across machines.
 */
@Command(name = "train-benchmark", mixinStandardHelpOptions = true,
        description = "Measure fine-tuning samples/s and the time of one training run against inference baselines.")
public final class TrainBenchmarkCommand implements Callable<Integer> {

    @Option(names = "--gallery", paramLabel = "DIR", required = true, description = "One sub-folder of images per identity (e.g. the LFW sample).")
    Path gallery;

    @Option(names = "--model", paramLabel = "FILE.onnx", description = "Embedding model (default: the default model, fr_feature).")
    Path model;

    @Option(names = "--batch-size", defaultValue = "64", description = "Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--steps", defaultValue = "3", description = "Timed steps after one warm-up step. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--train-last", defaultValue = "4", description = "Trained weight tensors during the throughput test. Default: ${DEFAULT-VALUE}.")
    int trainLast;

    @Option(names = "--run-epochs", defaultValue = "1", description = "Epochs of the timed training run. Default: ${DEFAULT-VALUE}.")
    int runEpochs;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CommandLines.requireExisting(spec, gallery, "--gallery", CommandLines.PathKind.FOLDER);
        CommandLines.requireExisting(spec, model, "--model", CommandLines.PathKind.FILE);
        Path source = model != null ? model : DefaultFaceModels.ensure(DefaultFaceModels.defaultCacheDir()).embedder();
        Path work = Files.createTempDirectory("arcstream-train-benchmark");
        Path dynamic = OnnxModels.hasDynamicBatch(source) ? source : DynamicBatchRewriter.rewrite(source, work.resolve("model.batch.onnx"));
        List<LabeledCrop> crops;
        try (FacePipeline pipeline = new FacePipeline(FacePipelineConfig.from(Settings.load(null)))) {
            crops = GalleryCrops.load(gallery, pipeline).crops();
        }
        if (crops.isEmpty()) {
            throw new IllegalArgumentException("no face found in any image under " + gallery);
        }
        List<LabeledCrop> batches = new ArrayList<>();
        while (batches.size() < batchSize * (steps + 1)) {
            batches.addAll(crops);
        }
        batches = batches.subList(0, batchSize * (steps + 1));

        double ortPerSecond = onnxRuntimeSamplesPerSecond(dynamic, batches);
        List<String> identities = batches.stream().map(LabeledCrop::identity).distinct().sorted().toList();
        float[][] weights = new float[identities.size()][512];
        java.util.Random r = new java.util.Random(1);
        for (float[] row : weights) {
            for (int k = 0; k < row.length; k++) {
                row[k] = (float) r.nextGaussian();
            }
        }
        FineTuneSettings throughput = new FineTuneSettings(1, batchSize, 0.001, "sgd", 5e-4, trainLast, 32, 0.5, 0.3, 0, 1);
        TrainingCurves curves = ArcFaceTrainer.train(dynamic, batches, identities, weights, throughput, TrainingProgress.NONE,
                work.resolve("throughput.onnx"));
        double trainPerSecond = curves.samplesPerSecond();
        // measured after the training steps, so that both see an equally warm libtorch
        double forwardPerSecond = forwardSamplesPerSecond(dynamic, batches);

        long t0 = System.nanoTime();
        try (FaceEmbedder embedder = new FaceEmbedder(EmbeddingModelSpec.arcface112(dynamic, Sha256.modelId(dynamic)), InferenceOptions.defaults(), 32, false)) {
            embedder.embed(crops.stream().map(LabeledCrop::crop).toList());
        }
        double embedSeconds = (System.nanoTime() - t0) / 1e9;
        FineTuneSettings runSettings = FineTuneSettings.defaults().withTraining(runEpochs, 0.01, "sgd");
        RunReport run = new FineTuneRun(runSettings, GatePolicy.defaults(), InferenceOptions.defaults())
                .run(crops, 0, source, work.resolve("run"), d -> null, TrainingProgress.NONE);

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("batch_size", batchSize);
        result.put("train_last_initializers", trainLast);
        result.put("finetune_samples_per_second", trainPerSecond);
        result.put("interpreter_forward_samples_per_second", forwardPerSecond);
        result.put("onnxruntime_samples_per_second", ortPerSecond);
        result.put("finetune_vs_interpreter_forward", trainPerSecond / forwardPerSecond);
        result.put("finetune_vs_onnxruntime", trainPerSecond / ortPerSecond);
        result.put("training_run_seconds", run.seconds());
        result.put("training_run_epochs", runEpochs);
        result.put("training_run_images", crops.size());
        result.put("onnxruntime_embed_all_seconds", embedSeconds);
        result.put("training_run_vs_embed_all", run.seconds() / embedSeconds);
        result.put("cores", Runtime.getRuntime().availableProcessors());
        if (json) {
            System.out.println(Json.pretty(result));
        } else {
            System.out.printf(Locale.ROOT, "fine-tuning, batch %d, last %d tensors: %.1f samples/s%n", batchSize, trainLast, trainPerSecond);
            System.out.printf(Locale.ROOT, "  baseline interpreter forward only: %.1f samples/s (ratio %.3f)%n", forwardPerSecond, trainPerSecond / forwardPerSecond);
            System.out.printf(Locale.ROOT, "  baseline ONNX Runtime inference:  %.1f samples/s (ratio %.3f)%n", ortPerSecond, trainPerSecond / ortPerSecond);
            System.out.printf(Locale.ROOT, "one training run (%d images, %d epoch(s), split, centroids, training, evaluation of both models): %.1f s%n",
                    crops.size(), runEpochs, run.seconds());
            System.out.printf(Locale.ROOT, "  baseline ONNX Runtime embedding of all %d crops: %.2f s (ratio %.1f)%n", crops.size(), embedSeconds, run.seconds() / embedSeconds);
        }
        return CommandLines.OK;
    }

    private double onnxRuntimeSamplesPerSecond(Path dynamic, List<LabeledCrop> crops) {
        try (FaceEmbedder embedder = new FaceEmbedder(EmbeddingModelSpec.arcface112(dynamic, Sha256.modelId(dynamic)), InferenceOptions.defaults(), batchSize, false)) {
            List<RgbImage> images = crops.stream().map(LabeledCrop::crop).toList();
            embedder.embed(images.subList(0, batchSize));
            long t0 = System.nanoTime();
            embedder.embed(images.subList(batchSize, images.size()));
            return (images.size() - batchSize) / ((System.nanoTime() - t0) / 1e9);
        }
    }

    private double forwardSamplesPerSecond(Path dynamic, List<LabeledCrop> crops) {
        int size = crops.get(0).crop().width();
        try (NDManager manager = TrainingDevice.newManager("auto");
                TrainableOnnxModel graph = TrainableOnnxModel.load(dynamic, manager)) {
            long t0 = 0;
            for (int s = 0; s <= steps; s++) {
                if (s == 1) {
                    t0 = System.nanoTime();
                }
                float[] pixels = new float[batchSize * 3 * size * size];
                for (int b = 0; b < batchSize; b++) {
                    Tensors.writeChw(crops.get(s * batchSize + b).crop(), 127f, 128f, false, pixels, b * 3 * size * size);
                }
                try (NDManager scope = manager.newSubManager()) {
                    NDArray out = graph.forward(scope.create(pixels, new Shape(batchSize, 3, size, size)), false);
                    out.toFloatArray();
                }
            }
            return (double) steps * batchSize / ((System.nanoTime() - t0) / 1e9);
        }
    }

    public static void main(String[] args) {
        System.exit(CommandLines.run(new TrainBenchmarkCommand(), args));
    }
}
