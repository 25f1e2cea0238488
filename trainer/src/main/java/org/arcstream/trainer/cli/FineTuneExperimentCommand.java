package org.arcstream.trainer.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.arcstream.core.cli.CommandLines;
import org.arcstream.core.cli.Json;
import org.arcstream.core.config.Settings;
import org.arcstream.core.model.DefaultFaceModels;
import org.arcstream.core.pipeline.FacePipeline;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.runtime.InferenceOptions;
import org.arcstream.trainer.data.GalleryCrops;
import org.arcstream.trainer.data.LabeledCrop;
import org.arcstream.trainer.domainshift.CctvDegradation;
import org.arcstream.trainer.finetune.FineTuneRun;
import org.arcstream.trainer.finetune.FineTuneSettings;
import org.arcstream.trainer.finetune.RunReport;
import org.arcstream.trainer.finetune.TrainingProgress;
import org.arcstream.trainer.gate.GatePolicy;
import org.arcstream.trainer.gate.SetFigures;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code finetune-experiment}: does fine-tuning adapt the model to a poor camera? Faces are aligned on
 * the original images (as a tracker with landmarks would), then degraded like CCTV footage; the model is
 * fine-tuned on the degraded faces of some identities and evaluated on the degraded faces of the others.
 */
@Command(name = "finetune-experiment", mixinStandardHelpOptions = true,
        description = "Fine-tune on CCTV-like degraded faces of some identities; compare AUC and TAR before and after on the other identities.")
public final class FineTuneExperimentCommand implements Callable<Integer> {

    @Option(names = "--gallery", paramLabel = "DIR", required = true, description = "One sub-folder of images per identity (e.g. the LFW sample).")
    Path gallery;

    @Option(names = "--model", paramLabel = "FILE.onnx", description = "Starting model (default: the default embedding model).")
    Path model;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "finetune-experiment", description = "Charts and report. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--epochs", defaultValue = "5", description = "Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--lr", defaultValue = "0.01", description = "Default: ${DEFAULT-VALUE}.")
    double learningRate;

    @Option(names = "--optimizer", defaultValue = "sgd", description = "sgd or adamw. Default: ${DEFAULT-VALUE}.")
    String optimizer;

    @Option(names = "--batch-size", defaultValue = "16", description = "Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--train-last", defaultValue = "4", description = "Train only the last N weight tensors. Default: ${DEFAULT-VALUE}.")
    int trainLast;

    @Option(names = "--heldout-fraction", defaultValue = "0.4", description = "Share of identities only evaluated on. Default: ${DEFAULT-VALUE}.")
    double heldOutFraction;

    @Option(names = "--seed", defaultValue = "7", description = "Seeds the split, the degradation and training. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CommandLines.requireExisting(spec, gallery, "--gallery", CommandLines.PathKind.FOLDER);
        CommandLines.requireExisting(spec, model, "--model", CommandLines.PathKind.FILE);
        FacePipelineConfig config = FacePipelineConfig.from(Settings.load(null));
        Path start = model != null ? model : DefaultFaceModels.ensure(DefaultFaceModels.defaultCacheDir()).embedder();
        GalleryCrops.Loaded loaded;
        try (FacePipeline pipeline = new FacePipeline(config)) {
            loaded = GalleryCrops.load(gallery, pipeline);
        }
        if (loaded.crops().isEmpty()) {
            throw new IllegalArgumentException("no face found in any image under " + gallery);
        }
        CctvDegradation camera = CctvDegradation.poorCamera(seed);
        List<LabeledCrop> degraded = loaded.crops().stream()
                .map(c -> new LabeledCrop(c.identity(), c.source(), camera.apply(c.crop()))).toList();
        Files.createDirectories(out);
        Files.write(out.resolve("example-degraded.png"), org.arcstream.core.image.ImageOps.encodePng(degraded.get(0).crop()));
        FineTuneSettings settings = new FineTuneSettings(epochs, batchSize, learningRate, optimizer, 5e-4, trainLast, 32, 0.5,
                heldOutFraction, 0, seed);
        RunReport report = new FineTuneRun(settings, GatePolicy.defaults(), InferenceOptions.defaults())
                .run(degraded, loaded.skipped(), start, out, draft -> null, json ? TrainingProgress.NONE : new ProgressBar(System.err));
        SetFigures before = report.gate().current().heldOutIdentities();
        SetFigures after = report.gate().candidate() == null ? null : report.gate().candidate().heldOutIdentities();
        Files.writeString(out.resolve("report.json"), Json.pretty(report));
        if (json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("degradation", "grayscale, face 24-32 px, blur sigma 0.8, noise 6, JPEG 0.5");
            result.put("data_counts", report.dataCounts());
            result.put("before", before);
            result.put("after", after);
            result.put("gate", report.gate().label());
            result.put("settings", settings);
            System.out.println(Json.pretty(result));
        } else {
            System.out.println("degraded held-out identities: " + report.dataCounts());
            System.out.printf(Locale.ROOT, "before: AUC %.4f  TAR@FAR1%% %.4f%n", before.auc(), before.tarAtFar1());
            if (after != null) {
                System.out.printf(Locale.ROOT, "after:  AUC %.4f  TAR@FAR1%% %.4f%n", after.auc(), after.tarAtFar1());
            }
            System.out.println("gate would have " + report.gate().label() + " it: " + report.gate().reason());
            System.out.println("charts and report: " + out);
        }
        return CommandLines.OK;
    }

    public static void main(String[] args) {
        System.exit(CommandLines.run(new FineTuneExperimentCommand(), args));
    }
}
