package org.arcstream.trainer.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.arcstream.core.cli.CommandLines;
import org.arcstream.core.cli.Json;
import org.arcstream.core.runtime.InferenceOptions;
import org.arcstream.trainer.data.SampleRules;
import org.arcstream.trainer.finetune.FineTuneSettings;
import org.arcstream.trainer.finetune.RunReport;
import org.arcstream.trainer.finetune.TrainingJob;
import org.arcstream.trainer.finetune.TrainingProgress;
import org.arcstream.trainer.gate.GatePolicy;
import org.arcstream.trainer.gate.SetFigures;
import org.arcstream.trainer.publish.ModelDelivery;
import org.arcstream.trainer.store.FileModelStore;
import org.arcstream.kafka.KafkaClientConfig;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code train}: one fine-tuning run from the command line, with a progress bar, ending in the gate's decision.
 * Exit code 0 when the gate accepted the model, 3 when it rejected it, 1 when the run failed, 2 on a usage
 * error. Gallery images that cannot be decoded are logged, listed in the report and left out; they do not
 * change the exit code, which is about the run.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Fine-tune the embedding model with ArcFace loss, gate it on held-out data and publish it when it is not worse.")
public final class TrainCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--gallery", paramLabel = "DIR", description = "Training images, one sub-folder per identity (faces are detected and aligned).")
        Path gallery;

        @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Read the enrollment topic and publish to the models topic.")
        String bootstrapServers;
    }

    @Option(names = "--kafka", paramLabel = "KEY=VALUE",
            description = {"A Kafka client property, e.g. security.protocol=SASL_SSL (repeatable); also from ARCSTREAM_KAFKA_* variables.",
                    "A secret can be named instead of given: $${file:PATH:KEY}, $${dir:FOLDER:FILE} or $${env:VARIABLE}."})
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Option(names = "--enrollment-topic", defaultValue = "enrollment", description = "Default: ${DEFAULT-VALUE}.")
    String enrollmentTopic;

    @Option(names = "--recognitions-topic", defaultValue = SampleRules.RECOGNITIONS_TOPIC,
            description = "The embedders' confident recognitions, trained on beside enrollment; empty = not read. Default: ${DEFAULT-VALUE}.")
    String recognitionsTopic;

    @Option(names = "--labels-topic", defaultValue = SampleRules.LABELS_TOPIC,
            description = "Operators' labels: a recognition marked wrong is not trained on; empty = not read. Default: ${DEFAULT-VALUE}.")
    String labelsTopic;

    @Option(names = "--per-person-camera", defaultValue = "" + SampleRules.PER_PERSON_CAMERA,
            description = "Most recognitions of one person from one camera (the newest). Default: ${DEFAULT-VALUE}.")
    int perPersonCamera;

    @Option(names = "--min-samples", defaultValue = "" + SampleRules.MIN_SAMPLES,
            description = "A person with fewer samples is not trained on. Default: ${DEFAULT-VALUE}.")
    int minSamples;

    @Option(names = "--models-topic", defaultValue = "models", description = "Default: ${DEFAULT-VALUE}.")
    String modelsTopic;

    @Option(names = "--active-model-topic", defaultValue = "active-model",
            description = "Where the embedders name the model they use, which a run starts from. Default: ${DEFAULT-VALUE}.")
    String activeModelTopic;

    @Option(names = "--model", paramLabel = "FILE.onnx",
            description = "Starting model (default: the model the embedders use when the store holds it, else the store's newest accepted model, else the default model).")
    Path model;

    @Option(names = "--store", paramLabel = "DIR", defaultValue = "model-store", description = "Model store folder. Default: ${DEFAULT-VALUE}.")
    Path store;

    @Option(names = "--out", paramLabel = "DIR", description = "Run folder for the candidate model, charts and report (default: STORE/runs/TIMESTAMP).")
    Path out;

    @Option(names = "--epochs", defaultValue = "" + FineTuneSettings.EPOCHS, description = "Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--lr", defaultValue = "" + FineTuneSettings.LEARNING_RATE, description = "Learning rate. Default: ${DEFAULT-VALUE}.")
    double learningRate;

    @Option(names = "--optimizer", defaultValue = FineTuneSettings.OPTIMIZER, description = "sgd or adamw. Default: ${DEFAULT-VALUE}.")
    String optimizer;

    @Option(names = "--batch-size", defaultValue = "" + FineTuneSettings.BATCH_SIZE, description = "Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--train-last", defaultValue = "" + FineTuneSettings.TRAIN_LAST_INITIALIZERS, description = "Train only the last N weight tensors. Default: ${DEFAULT-VALUE}.")
    int trainLast;

    @Option(names = "--auc-tolerance", defaultValue = "" + GatePolicy.AUC_TOLERANCE, description = "Largest AUC drop the gate accepts. Default: ${DEFAULT-VALUE}.")
    double aucTolerance;

    @Option(names = "--tar-tolerance", defaultValue = "" + GatePolicy.TAR_TOLERANCE, description = "Largest TAR@FAR1%% drop the gate accepts. Default: ${DEFAULT-VALUE}.")
    double tarTolerance;

    @Option(names = "--json", description = "Print the run report as JSON (no progress bar).")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CommandLines.requireExisting(spec, source.gallery, "--gallery", CommandLines.PathKind.FOLDER);
        CommandLines.requireExisting(spec, model, "--model", CommandLines.PathKind.FILE);
        FineTuneSettings settings = FineTuneSettings.defaults().withTraining(epochs, learningRate, optimizer).withBatch(batchSize, trainLast);
        FileModelStore modelStore = new FileModelStore(store);
        Path runDir = out != null ? out
                : modelStore.root().resolve("runs").resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        KafkaClientConfig kafka;
        try {
            kafka = source.bootstrapServers == null ? null : KafkaClientConfig.resolve(source.bootstrapServers, kafkaProperties);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        SampleRules samples;
        try {
            samples = new SampleRules(recognitionsTopic, labelsTopic, perPersonCamera, minSamples);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        TrainingJob job = new TrainingJob(source.gallery, kafka, enrollmentTopic, modelsTopic, activeModelTopic, model,
                modelStore, settings, new GatePolicy(aucTolerance, tarTolerance), InferenceOptions.defaults(), ModelDelivery.FROM_STORE,
                samples);
        RunReport report = job.run(runDir, json ? TrainingProgress.NONE : new ProgressBar(System.err));
        Files.writeString(runDir.resolve("report.json"), Json.pretty(report));
        if (json) {
            System.out.println(Json.pretty(report));
        } else {
            print(report, runDir);
        }
        return report.gate().accepted() ? CommandLines.OK : CommandLines.GATE_REJECTED;
    }

    private static void print(RunReport r, Path runDir) {
        System.out.println("data: " + r.dataCounts());
        if (r.unreadable() != null && !r.unreadable().isEmpty()) {
            System.out.println("unreadable images, not used: " + r.unreadable().size());
            r.unreadable().forEach(u -> System.out.println("  " + u));
        }
        System.out.printf(Locale.ROOT, "training: %.1f samples/s, final epoch loss %.4f%n", r.curves().samplesPerSecond(),
                r.curves().epochLoss()[r.curves().epochLoss().length - 1]);
        row("held-out identities", r.gate().current().heldOutIdentities(), r.gate().candidate() == null ? null : r.gate().candidate().heldOutIdentities());
        if (r.gate().current().heldOutImages() != null) {
            row("held-out images", r.gate().current().heldOutImages(), r.gate().candidate() == null ? null : r.gate().candidate().heldOutImages());
        }
        System.out.println("gate: " + r.gate().label() + " (" + r.gate().reason() + ")");
        System.out.println(r.publishedVersion() != null ? "published model " + r.publishedVersion() : "nothing published");
        System.out.println("charts and report: " + runDir);
    }

    private static void row(String set, SetFigures before, SetFigures after) {
        System.out.printf(Locale.ROOT, "%-20s AUC %.4f -> %s   TAR@FAR1%% %.4f -> %s%n", set, before.auc(),
                after == null ? "n/a" : String.format(Locale.ROOT, "%.4f", after.auc()), before.tarAtFar1(),
                after == null ? "n/a" : String.format(Locale.ROOT, "%.4f", after.tarAtFar1()));
    }

    public static void main(String[] args) {
        System.exit(CommandLines.run(new TrainCommand(), args));
    }
}
