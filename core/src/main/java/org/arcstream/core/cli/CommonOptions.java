package org.arcstream.core.cli;

import java.nio.file.Path;
import org.arcstream.core.config.Settings;
import org.arcstream.core.pipeline.FacePipelineConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Options every command shares: the settings file, the test-time augmentation and the device. */
final class CommonOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "Settings file (keys of arcstream.properties).")
    Path config;

    @Option(names = "--flip", negatable = true, description = "Flip test-time augmentation (default: setting embedding.flip).")
    Boolean flip;

    @Option(names = "--shift", paramLabel = "PIXELS",
            description = "Shifted test-time views: the face moved by PIXELS left, right, up and down; 0 = off (default: setting embedding.shift).")
    Integer shift;

    @Option(names = "--device", paramLabel = "DEVICE", description = "auto, cpu, gpu or gpu:N (default: setting inference.device).")
    String device;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /** The settings; a {@code --config} file that does not exist is a usage error. */
    Settings settings() {
        CommandLines.requireExisting(spec, config, "--config", CommandLines.PathKind.FILE);
        Settings s = Settings.load(config);
        if (flip != null) {
            s = s.with("embedding.flip", flip.toString());
        }
        if (shift != null) {
            s = s.with("embedding.shift", shift.toString());
        }
        if (device != null) {
            s = s.with("inference.device", device);
        }
        return s;
    }

    FacePipelineConfig pipelineConfig() {
        return FacePipelineConfig.from(settings());
    }
}
