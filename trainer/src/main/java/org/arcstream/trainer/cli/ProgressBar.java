package org.arcstream.trainer.cli;

import java.io.PrintStream;
import java.util.Locale;
import org.arcstream.trainer.finetune.TrainingProgress;

/** A one-line progress bar on a terminal stream, redrawn in place with carriage returns. */
final class ProgressBar implements TrainingProgress {

    private static final int WIDTH = 30;
    private final PrintStream out;
    private boolean midLine;

    ProgressBar(PrintStream out) {
        this.out = out;
    }

    @Override
    public void phase(String name) {
        if (midLine) {
            out.println();
            midLine = false;
        }
        out.println("== " + name);
    }

    @Override
    public void step(int epoch, int epochs, int step, int totalSteps, double loss, double accuracy) {
        int filled = (int) Math.round(WIDTH * (double) step / totalSteps);
        out.print(String.format(Locale.ROOT, "\r[%s%s] %3d%% epoch %d/%d step %d/%d loss %.4g acc %.3f",
                "#".repeat(filled), ".".repeat(WIDTH - filled), 100 * step / totalSteps, epoch, epochs, step, totalSteps, loss, accuracy));
        midLine = step < totalSteps;
        if (!midLine) {
            out.println();
        }
        out.flush();
    }
}
