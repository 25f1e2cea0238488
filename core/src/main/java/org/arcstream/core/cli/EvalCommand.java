package org.arcstream.core.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.arcstream.core.config.Settings;
import org.arcstream.core.enroll.Enroller;
import org.arcstream.core.eval.GalleryEvaluation;
import org.arcstream.core.eval.LabeledEmbedding;
import org.arcstream.core.eval.PairsFile;
import org.arcstream.core.eval.ScoredPair;
import org.arcstream.core.eval.Verification;
import org.arcstream.core.embed.Embeddings;
import org.arcstream.core.pipeline.FacePipeline;
import org.arcstream.core.pipeline.FacePipelineConfig;
import picocli.CommandLine.ArgGroup;
import org.arcstream.core.image.ImageFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code eval}: identification and verification figures on a folder-per-identity gallery,
 * or verification figures on a list of labeled pairs.
 */
@Command(name = "eval", description = "Measure accuracy on a labeled gallery or on labeled pairs.")
final class EvalCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--gallery", paramLabel = "DIR", description = "One sub-folder of images per identity.")
        Path gallery;

        @Option(names = "--pairs", paramLabel = "FILE.csv", description = "CSV: first image, second image, label (Yes/No or 1/0); a header row is allowed.")
        Path pairs;
    }

    @Option(names = "--images", paramLabel = "DIR", description = "Folder the pair file's image paths are relative to (default: the CSV's folder).")
    Path images;

    @Option(names = "--threshold", description = "Cosine threshold for the accuracy figure of --pairs (default: setting match.threshold).")
    Float threshold;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Settings settings = common.settings();
        try (FacePipeline pipeline = new FacePipeline(FacePipelineConfig.from(settings))) {
            Map<String, Object> figures = source.gallery != null
                    ? gallery(pipeline)
                    : pairs(pipeline, threshold != null ? threshold : settings.decimal("match.threshold"));
            figures.put("model", pipeline.config().embedding().id());
            figures.put("flip", pipeline.config().flip());
            print(figures);
        }
        return 0;
    }

    private Map<String, Object> gallery(FacePipeline pipeline) {
        List<LabeledEmbedding> samples = new ArrayList<>();
        List<Enroller.GalleryImage> images = Enroller.scan(source.gallery);
        int missing = 0;
        for (Enroller.GalleryImage image : images) {
            float[] embedding = embed(pipeline, image.file());
            if (embedding == null) {
                missing++;
            } else {
                samples.add(new LabeledEmbedding(image.identity(), image.file().toString(), embedding));
            }
        }
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no face found in any image under " + source.gallery);
        }
        GalleryEvaluation.Result r = GalleryEvaluation.evaluate(samples);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("images", images.size());
        out.put("identities", r.identities());
        out.put("faces_missing", missing);
        out.put("top1_loo", r.top1LeaveOneOut());
        out.put("top1_centroid", r.top1Centroid());
        putVerification(out, r.verification());
        return out;
    }

    private Map<String, Object> pairs(FacePipeline pipeline, float at) {
        Path base = images != null ? images : source.pairs.toAbsolutePath().getParent();
        List<PairsFile.Pair> pairs = PairsFile.read(source.pairs);
        Map<String, float[]> cache = new LinkedHashMap<>();
        List<ScoredPair> scored = new ArrayList<>();
        int missing = 0;
        for (PairsFile.Pair pair : pairs) {
            float[] a = cache.computeIfAbsent(pair.first(), name -> embedOrEmpty(pipeline, base.resolve(name)));
            float[] b = cache.computeIfAbsent(pair.second(), name -> embedOrEmpty(pipeline, base.resolve(name)));
            // a pair with an image where no face was found counts as "different": failures are not hidden
            scored.add(new ScoredPair(a.length == 0 || b.length == 0 ? -1 : Embeddings.cosine(a, b), pair.same()));
        }
        for (float[] v : cache.values()) {
            missing += v.length == 0 ? 1 : 0;
        }
        Verification v = Verification.of(scored);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("pairs", v.pairs());
        out.put("positives", v.positives());
        out.put("negatives", v.negatives());
        out.put("images", cache.size());
        out.put("faces_missing", missing);
        putVerification(out, v);
        out.put("threshold", at);
        out.put("accuracy_at_threshold", round(v.accuracyAt(at)));
        return out;
    }

    private static void putVerification(Map<String, Object> out, Verification v) {
        out.put("auc", round(v.auc()));
        out.put("tar_at_far_1e-2", round(v.tarAtFar(1e-2)));
        out.put("tar_at_far_1e-3", round(v.tarAtFar(1e-3)));
        out.put("best_threshold", round(v.bestThreshold()));
        out.put("best_accuracy", round(v.bestAccuracy()));
    }

    private float[] embedOrEmpty(FacePipeline pipeline, Path file) {
        float[] v = embed(pipeline, file);
        return v != null ? v : new float[0];
    }

    /** The best face's embedding, or null (with a message on stderr) when there is none. */
    private float[] embed(FacePipeline pipeline, Path file) {
        try {
            var face = pipeline.bestFace(ImageFiles.decode(pipeline.decoder(), file));
            if (face.isPresent()) {
                return face.get().embedding();
            }
            spec.commandLine().getErr().println(file + ": no face found");
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println(file + ": " + e.getMessage());
        }
        return null;
    }

    private void print(Map<String, Object> figures) {
        var out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(figures));
            return;
        }
        for (Map.Entry<String, Object> e : figures.entrySet()) {
            out.printf("%-24s %s%n", e.getKey(), e.getValue());
        }
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
