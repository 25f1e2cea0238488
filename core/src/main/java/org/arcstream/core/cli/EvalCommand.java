package org.arcstream.core.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.arcstream.core.config.Settings;
import org.arcstream.core.embed.Embeddings;
import org.arcstream.core.enroll.Enroller;
import org.arcstream.core.eval.GalleryEvaluation;
import org.arcstream.core.eval.LabeledEmbedding;
import org.arcstream.core.eval.PairsFile;
import org.arcstream.core.eval.ScoredPair;
import org.arcstream.core.eval.Verification;
import org.arcstream.core.files.ImageFolders;
import org.arcstream.core.files.UnreadableImage;
import org.arcstream.core.files.UnreadableImageException;
import org.arcstream.core.pipeline.FacePipeline;
import org.arcstream.core.pipeline.FacePipelineConfig;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eval}: identification and verification figures on a folder-per-identity gallery,
 * or verification figures on a list of labeled pairs. Images that cannot be read are named on stderr,
 * counted ({@code unreadable}, {@code unreadable_files}) and make the exit code 1; the figures are those
 * of the other images.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, version = ArcstreamCli.VERSION,
        description = "Measure accuracy on a labeled gallery or on labeled pairs.")
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

    private final List<UnreadableImage> unreadable = new ArrayList<>();

    @Override
    public Integer call() {
        CommandLines.requireExisting(spec, source.gallery, "--gallery", CommandLines.PathKind.FOLDER);
        CommandLines.requireExisting(spec, source.pairs, "--pairs", CommandLines.PathKind.FILE);
        CommandLines.requireExisting(spec, images, "--images", CommandLines.PathKind.FOLDER);
        Settings settings = common.settings();
        try (FacePipeline pipeline = new FacePipeline(FacePipelineConfig.from(settings))) {
            Map<String, Object> figures = source.gallery != null
                    ? gallery(pipeline)
                    : pairs(pipeline, threshold != null ? threshold : settings.decimal("match.threshold"));
            figures.put("model", pipeline.config().embedding().id());
            figures.put("flip", pipeline.config().tta().flip());
            figures.put("shift", pipeline.config().tta().shift());
            figures.put("unreadable", unreadable.size());
            figures.put("unreadable_files", List.copyOf(unreadable));
            print(figures);
        }
        // the figures stand for the images that could be read; the exit code says that some could not
        return unreadable.isEmpty() ? CommandLines.OK : CommandLines.FAILURE;
    }

    private Map<String, Object> gallery(FacePipeline pipeline) {
        List<LabeledEmbedding> samples = new ArrayList<>();
        List<Enroller.GalleryImage> images = Enroller.scan(source.gallery);
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no image files in the identity folders of " + source.gallery
                    + " (expected one sub-folder of images per identity)");
        }
        int missing = 0;
        for (Enroller.GalleryImage image : images) {
            Embedded e = embed(pipeline, image.file());
            if (e == Embedded.NO_FACE) {
                missing++;
            } else if (e != Embedded.UNREADABLE) {
                samples.add(new LabeledEmbedding(image.identity(), image.file().toString(), e.vector()));
            }
        }
        if (samples.size() < 2) {
            throw new IllegalArgumentException("a gallery evaluation needs at least 2 faces, found " + samples.size() + " in "
                    + images.size() + " image file(s) under " + source.gallery);
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
        Map<String, Embedded> cache = new LinkedHashMap<>();
        List<ScoredPair> scored = new ArrayList<>();
        for (PairsFile.Pair pair : pairs) {
            float[] a = cache.computeIfAbsent(pair.first(), name -> embed(pipeline, base.resolve(name))).vector();
            float[] b = cache.computeIfAbsent(pair.second(), name -> embed(pipeline, base.resolve(name))).vector();
            // a pair with an image that gave no face counts as "different": failures are not hidden
            scored.add(new ScoredPair(a.length == 0 || b.length == 0 ? -1 : Embeddings.cosine(a, b), pair.same()));
        }
        long missing = cache.values().stream().filter(e -> e == Embedded.NO_FACE).count();
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

    /** The best face's embedding of an image, or why there is none. */
    private record Embedded(float[] vector) {
        static final Embedded NO_FACE = new Embedded(new float[0]);
        static final Embedded UNREADABLE = new Embedded(new float[0]);
    }

    /** The best face's embedding; a file without one is named on stderr with the reason. */
    private Embedded embed(FacePipeline pipeline, Path file) {
        try {
            var face = pipeline.bestFace(ImageFolders.read(pipeline.decoder(), file));
            if (face.isPresent()) {
                return new Embedded(face.get().embedding());
            }
            spec.commandLine().getErr().println(file + ": no face found");
            return Embedded.NO_FACE;
        } catch (UnreadableImageException e) {
            unreadable.add(e.image());
            spec.commandLine().getErr().println(e.image());
            return Embedded.UNREADABLE;
        }
    }

    private void print(Map<String, Object> figures) {
        var out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.line(figures));
            return;
        }
        for (Map.Entry<String, Object> e : figures.entrySet()) {
            if (e.getValue() instanceof List<?> list) {
                list.forEach(item -> out.printf("%-24s %s%n", "", item));
            } else {
                out.printf("%-24s %s%n", e.getKey(), e.getValue());
            }
        }
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
