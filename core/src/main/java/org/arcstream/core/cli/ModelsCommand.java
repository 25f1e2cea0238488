package org.arcstream.core.cli;

import java.util.concurrent.Callable;
import org.arcstream.core.cli.CommandLines;
import org.arcstream.core.pipeline.FacePipelineConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code models}: fetches and verifies the default models if needed and prints the files in use. */
@Command(name = "models", mixinStandardHelpOptions = true, version = ArcstreamCli.VERSION,
        description = "Fetch (if missing), verify and list the face models in use.")
final class ModelsCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        FacePipelineConfig config = common.pipelineConfig();
        var out = spec.commandLine().getOut();
        out.println("detector   " + config.detectorModel());
        out.println("landmarks  " + config.landmarkModel());
        out.println("embedding  " + config.embedding().file() + "  (model id " + config.embedding().id() + ")");
        return CommandLines.OK;
    }
}
