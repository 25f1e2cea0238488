package org.arcstream.core.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.arcstream.core.cli.CommandLines;
import org.arcstream.core.config.Settings;
import org.arcstream.core.embed.Embeddings;
import org.arcstream.core.files.ImageFolders;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.pipeline.Face;
import org.arcstream.core.pipeline.FacePipeline;
import org.arcstream.core.pipeline.FacePipelineConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code verify A B}: cosine similarity of the best faces of two images and the same/different verdict. */
@Command(name = "verify", mixinStandardHelpOptions = true, version = ArcstreamCli.VERSION,
        description = "Compare the main faces of two images.")
final class VerifyCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "A")
    Path first;

    @Parameters(index = "1", paramLabel = "B")
    Path second;

    @Option(names = "--threshold", description = "Cosine threshold for 'same' (default: setting match.threshold).")
    Float threshold;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandLines.requireExisting(spec, first, null, CommandLines.PathKind.FILE);
        CommandLines.requireExisting(spec, second, null, CommandLines.PathKind.FILE);
        Settings settings = common.settings();
        float t = threshold != null ? threshold : settings.decimal("match.threshold");
        try (FacePipeline pipeline = new FacePipeline(FacePipelineConfig.from(settings))) {
            Face a = bestFace(pipeline, first);
            Face b = bestFace(pipeline, second);
            float cosine = Embeddings.cosine(a.embedding(), b.embedding());
            boolean same = cosine >= t;
            if (json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("first", first.toString());
                out.put("second", second.toString());
                out.put("cosine", cosine);
                out.put("threshold", t);
                out.put("same", same);
                out.put("model", pipeline.config().embedding().id());
                spec.commandLine().getOut().println(Json.line(out));
            } else {
                spec.commandLine().getOut().printf("cosine %.4f: %s (threshold %.2f)%n", cosine, same ? "same person" : "different people", t);
            }
        }
        return CommandLines.OK;
    }

    /** The best face of an image; a failure naming the file when it cannot be read or shows no face. */
    private static Face bestFace(FacePipeline pipeline, Path file) {
        RgbImage image = ImageFolders.read(pipeline.decoder(), file);
        return pipeline.bestFace(image).orElseThrow(() -> new IllegalArgumentException(
                file + ": no face found (use an image where a face is clearly visible)"));
    }
}
