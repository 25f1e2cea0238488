package org.arcstream.core.runtime;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.arcstream.core.model.InferenceModelFiles;
import org.arcstream.core.model.OnnxModelInfo;

/** Loads ONNX files into DJL models on the ONNX Runtime engine with the project's options. */
public final class OnnxModels {

    private static final String THREADS_PROPERTY = "ai.djl.onnxruntime.num_threads";

    static {
        // Models are files on disk; DJL must never try to reach a model hub, and must not pull in
        // PyTorch as ONNX Runtime's companion engine when both sit on one classpath.
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        System.setProperty("ai.djl.onnx.disable_alternative",
                System.getProperty("ai.djl.onnx.disable_alternative", "true"));
    }

    private OnnxModels() {}

    /**
     * The process-wide ONNX Runtime environment. DJL's engine must create it (with its thread
     * settings) before anyone else does, or DJL refuses to start; so ask for it only here.
     */
    public static OrtEnvironment environment() {
        Engine.getEngine("OnnxRuntime");
        return OrtEnvironment.getEnvironment();
    }

    /**
     * Loads {@code file} into a new ONNX Runtime session; predictors bring their own translator. A missing or
     * unreadable model gives an {@link IllegalArgumentException} naming it. Users share models through
     * {@link SharedModels} instead of calling this.
     */
    static ZooModel<NDList, NDList> load(Path file, InferenceOptions options) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("model file not found: " + file);
        }
        if (options.intraOpThreads() > 0 && System.getProperty(THREADS_PROPERTY) == null) {
            // read once, when DJL creates the ONNX Runtime environment: the first model loaded decides
            System.setProperty(THREADS_PROPERTY, Integer.toString(options.intraOpThreads()));
        }
        Device device = DeviceSelector.select(options.device(), DeviceSelector.HostCapabilities.probe());
        Criteria.Builder<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optEngine("OnnxRuntime")
                // the same function in a graph that runs faster (PreluRewriter); the original is the model's identity
                .optModelPath(InferenceModelFiles.forInference(file))
                .optDevice(device)
                // one process-wide thread pool for all models: with a pool per session, the idle pools'
                // spinning threads steal the cores from the busy one (the pipeline ran 40% slower)
                .optOption("disablePerSessionThreads", "true");
        try {
            return criteria.build().loadModel();
        } catch (MalformedModelException e) {
            throw notAModel(file, rootMessage(e), e);
        } catch (ModelNotFoundException | IOException e) {
            throw new IllegalArgumentException("cannot load model " + file + ": " + runtimeReason(rootMessage(e), file), e);
        }
    }

    /**
     * True when the model's first input has a free (symbolic) leading dimension, so several
     * samples can go through one call. Read from the file, without a session.
     */
    public static boolean hasDynamicBatch(Path file) {
        return OnnxModelInfo.read(file).dynamicBatch();
    }

    private static IllegalArgumentException notAModel(Path file, String detail, Throwable cause) {
        return new IllegalArgumentException("not a valid ONNX model: " + file + " (" + runtimeReason(detail, file)
                + "): replace it with a complete ONNX model, or point embedding.model, detector.model or landmarks.model at one", cause);
    }

    /**
     * ONNX Runtime's message without its error-code prefix and the repeated path:
     * "Error code - ORT_INVALID_PROTOBUF - message: Load model from F failed:Protobuf parsing failed." becomes
     * "Protobuf parsing failed.".
     */
    static String runtimeReason(String message, Path file) {
        if (message == null) {
            return "unknown error";
        }
        String m = message.strip();
        int at = m.indexOf("message:");
        if (m.startsWith("Error code") && at >= 0) {
            m = m.substring(at + "message:".length()).strip();
        }
        String load = "Load model from " + file + " failed:";
        if (m.startsWith(load)) {
            m = m.substring(load.length()).strip();
        }
        if (m.endsWith(".")) {
            m = m.substring(0, m.length() - 1);
        }
        return m.isEmpty() ? "unknown error" : m;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
