package org.arcstream.trainer.gate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.arcstream.core.embed.EmbeddingModelSpec;
import org.arcstream.core.embed.Embeddings;
import org.arcstream.core.embed.FaceEmbedder;
import org.arcstream.core.embed.Preprocessing;
import org.arcstream.core.embed.TestTimeAugmentation;
import org.arcstream.core.eval.ScoredPair;
import org.arcstream.core.eval.Verification;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.model.Sha256;
import org.arcstream.core.runtime.InferenceOptions;
import org.arcstream.trainer.data.DatasetSplit;
import org.arcstream.trainer.data.LabeledCrop;

/**
 * Evaluates an ONNX embedding model the way the pipeline runs it (ONNX Runtime, core's embedder):
 * all pairs among the held-out identities; and each held-out image of a trained identity against every
 * other image of the trained identities, which is how an unseen photo meets the enrolled gallery. The
 * latter also per camera, grouped by the camera of the held-out image where it is known.
 */
public final class ModelEvaluator {

    /** False-accept rate at which the true-accept rate is reported. */
    public static final double FAR = 0.01;

    private final InferenceOptions inference;
    private final int batch;
    private final TestTimeAugmentation tta;

    public ModelEvaluator(InferenceOptions inference, int batch) {
        this(inference, batch, TestTimeAugmentation.NONE);
    }

    /**
     * @param tta the test-time views each crop is embedded with; with shifts, every crop must carry the
     *     augmentation's margin around the model's input size
     */
    public ModelEvaluator(InferenceOptions inference, int batch, TestTimeAugmentation tta) {
        this.inference = inference;
        this.batch = batch;
        this.tta = tta;
    }

    public ModelEvaluation evaluate(Path onnxModel, DatasetSplit split) {
        // each model is fed as its metadata says; one that says nothing as the default model
        EmbeddingModelSpec spec = EmbeddingModelSpec.load(onnxModel, Sha256.modelId(onnxModel), Preprocessing.DEFAULT);
        try (FaceEmbedder embedder = new FaceEmbedder(spec, inference, batch, tta)) {
            List<float[]> ids = embed(embedder, split.heldOutIdentities());
            List<ScoredPair> idPairs = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                for (int j = i + 1; j < ids.size(); j++) {
                    idPairs.add(pair(split.heldOutIdentities(), ids, i, split.heldOutIdentities(), ids, j));
                }
            }
            SetFigures idFigures = figures(split.heldOutIdentities().size(), idPairs);
            SetFigures imageFigures = null;
            List<ScoredPair> imagePairs = new ArrayList<>();
            // a probe's pairs also count for its camera, when known: a gain on one camera must not hide a loss on another
            Map<String, List<ScoredPair>> byCamera = new TreeMap<>();
            Map<String, Integer> probesByCamera = new TreeMap<>();
            if (!split.heldOutImages().isEmpty()) {
                List<float[]> probes = embed(embedder, split.heldOutImages());
                List<float[]> gallery = embed(embedder, split.training());
                for (int i = 0; i < probes.size(); i++) {
                    int from = imagePairs.size();
                    for (int j = i + 1; j < probes.size(); j++) {
                        imagePairs.add(pair(split.heldOutImages(), probes, i, split.heldOutImages(), probes, j));
                    }
                    for (int j = 0; j < gallery.size(); j++) {
                        imagePairs.add(pair(split.heldOutImages(), probes, i, split.training(), gallery, j));
                    }
                    String camera = split.heldOutImages().get(i).camera();
                    if (camera != null) {
                        byCamera.computeIfAbsent(camera, k -> new ArrayList<>()).addAll(imagePairs.subList(from, imagePairs.size()));
                        probesByCamera.merge(camera, 1, Integer::sum);
                    }
                }
                imageFigures = figures(split.heldOutImages().size(), imagePairs);
            }
            Map<String, SetFigures> cameraFigures = new TreeMap<>();
            byCamera.forEach((camera, pairs) -> {
                // a camera whose probes make no same-person or no different-person pair has no ROC to judge
                if (pairs.stream().anyMatch(ScoredPair::same) && pairs.stream().anyMatch(p -> !p.same())) {
                    cameraFigures.put(camera, figures(probesByCamera.get(camera), pairs));
                }
            });
            return new ModelEvaluation(spec.id(), idFigures, imageFigures, List.copyOf(idPairs), List.copyOf(imagePairs), cameraFigures);
        }
    }

    private List<float[]> embed(FaceEmbedder embedder, List<LabeledCrop> crops) {
        // a batch of crops at a time: crops read from a spill file are decoded only while they are embedded
        List<float[]> out = new ArrayList<>(crops.size());
        for (int from = 0; from < crops.size(); from += batch) {
            List<RgbImage> chunk = crops.subList(from, Math.min(crops.size(), from + batch)).stream().map(LabeledCrop::crop).toList();
            out.addAll(tta.margin() > 0 ? embedder.embedWithMargin(chunk) : embedder.embed(chunk));
        }
        for (float[] v : out) {
            for (float x : v) {
                if (!Float.isFinite(x)) {
                    throw new NonFiniteEmbeddingException("model " + embedder.spec().id() + " produces non-finite embeddings");
                }
            }
        }
        return out;
    }

    private static ScoredPair pair(List<LabeledCrop> a, List<float[]> ea, int i, List<LabeledCrop> b, List<float[]> eb, int j) {
        return new ScoredPair(Embeddings.cosine(ea.get(i), eb.get(j)), a.get(i).identity().equals(b.get(j).identity()));
    }

    private static SetFigures figures(int images, List<ScoredPair> pairs) {
        Verification v = Verification.of(pairs);
        return new SetFigures(images, v.positives(), v.negatives(), v.auc(), v.tarAtFar(FAR));
    }

    /** A model whose embeddings contain NaN or infinity: it fails the gate outright. */
    public static final class NonFiniteEmbeddingException extends RuntimeException {
        public NonFiniteEmbeddingException(String message) {
            super(message);
        }
    }
}
