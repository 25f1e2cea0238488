package org.arcstream.core.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.pipeline.Face;
import org.arcstream.core.pipeline.FacePipeline;
import org.arcstream.core.image.ImageFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code embed PATH...}: one JSON line per face, or one line per image that yields none. */
@Command(name = "embed", description = "Print one JSON line per face (box, score, landmarks, embedding).")
final class EmbedCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Image files or directories (searched recursively).")
    List<Path> paths;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<Path> files = ImageFiles.expand(paths);
        int processed = 0;
        try (FacePipeline pipeline = new FacePipeline(common.pipelineConfig())) {
            String modelId = pipeline.config().embedding().id();
            for (Path file : files) {
                List<Face> faces;
                try {
                    RgbImage image = ImageFiles.decode(pipeline.decoder(), file);
                    faces = pipeline.analyze(image);
                } catch (RuntimeException e) {
                    report(file, e.getMessage());
                    continue;
                }
                processed++;
                if (faces.isEmpty()) {
                    report(file, "no face found");
                }
                for (Face face : faces) {
                    spec.commandLine().getOut().println(Json.write(faceLine(file, face, modelId)));
                }
            }
        }
        spec.commandLine().getOut().flush();
        if (processed == 0) {
            spec.commandLine().getErr().println("error: none of " + files.size() + " image(s) could be processed");
            return 1;
        }
        return 0;
    }

    private void report(Path file, String reason) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("image", file.toString());
        line.put("error", reason);
        spec.commandLine().getOut().println(Json.write(line));
        spec.commandLine().getErr().println(file + ": " + reason);
    }

    static Map<String, Object> faceLine(Path file, Face face, String modelId) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("image", file.toString());
        line.put("face", face.index());
        line.put("box", new float[] {face.box().x1(), face.box().y1(), face.box().x2(), face.box().y2()});
        line.put("score", face.box().score());
        float[] xy = face.landmarks().toArray();
        List<float[]> points = new ArrayList<>(5);
        for (int i = 0; i < 5; i++) {
            points.add(new float[] {xy[2 * i], xy[2 * i + 1]});
        }
        line.put("landmarks", points);
        line.put("embedding", face.embedding());
        line.put("model", modelId);
        return line;
    }
}
