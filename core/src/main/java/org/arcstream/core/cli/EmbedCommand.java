package org.arcstream.core.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.arcstream.core.files.ImageFolders;
import org.arcstream.core.files.UnreadableImage;
import org.arcstream.core.files.UnreadableImageException;
import org.arcstream.core.pipeline.Face;
import org.arcstream.core.pipeline.FacePipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code embed PATH...}: one JSON line per face, or one line per image that yields none. An image that
 * cannot be read is reported and the others go on; the exit code is then 1.
 */
@Command(name = "embed", mixinStandardHelpOptions = true, version = ArcstreamCli.VERSION,
        description = "Print one JSON line per face (box, score, landmarks, embedding).")
final class EmbedCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Image files or directories (searched recursively).")
    List<Path> paths;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        for (Path path : paths) {
            CommandLines.requireExisting(spec, path, null, CommandLines.PathKind.FILE_OR_FOLDER);
        }
        List<Path> files = ImageFolders.expand(paths);
        int processed = 0;
        List<UnreadableImage> unreadable = new ArrayList<>();
        try (FacePipeline pipeline = new FacePipeline(common.pipelineConfig())) {
            String modelId = pipeline.config().embedding().id();
            for (Path file : files) {
                List<Face> faces;
                try {
                    faces = pipeline.analyze(ImageFolders.read(pipeline.decoder(), file));
                } catch (UnreadableImageException e) {
                    unreadable.add(e.image());
                    report(file, e.image().reason(), true);
                    continue;
                }
                processed++;
                if (faces.isEmpty()) {
                    report(file, "no face found", false);
                }
                for (Face face : faces) {
                    spec.commandLine().getOut().println(Json.line(faceLine(file, face, modelId)));
                }
            }
        }
        spec.commandLine().getOut().flush();
        if (files.isEmpty()) {
            spec.commandLine().getErr().println("arcstream embed: no image files in " + paths);
            return CommandLines.FAILURE;
        }
        if (!unreadable.isEmpty()) {
            spec.commandLine().getErr().println("arcstream embed: " + unreadable.size() + " of " + files.size()
                    + " image(s) could not be read" + (processed == 0 ? ", none could be processed" : ""));
            return CommandLines.FAILURE;
        }
        return CommandLines.OK;
    }

    /** One JSON line on stdout for an image without output, and the same as {@code FILE: REASON} on stderr. */
    private void report(Path file, String reason, boolean unreadable) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("image", file.toString());
        line.put("error", reason);
        if (unreadable) {
            line.put("unreadable", true);
        }
        spec.commandLine().getOut().println(Json.line(line));
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
