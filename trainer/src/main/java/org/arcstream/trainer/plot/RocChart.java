package org.arcstream.trainer.plot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.arcstream.core.eval.ScoredPair;

/**
 * ROC curves (true-accept rate over false-accept rate, FAR on a log axis from 1e-3 to 1) of scored
 * verification pairs, one curve per model: the picture behind the gate's AUC and TAR figures.
 */
public final class RocChart {

    /** A point of a ROC curve. */
    public record Point(double far, double tar) {}

    private static final double MIN_FAR = 1e-3;

    private final String title;
    private final List<String> names = new ArrayList<>();
    private final List<List<Point>> curves = new ArrayList<>();

    public RocChart(String title) {
        this.title = title;
    }

    public RocChart add(String name, List<ScoredPair> pairs) {
        names.add(name);
        curves.add(curve(pairs));
        return this;
    }

    /** The curve's corners: the threshold sweeps down through the scores, ties passing together. */
    public static List<Point> curve(List<ScoredPair> pairs) {
        long positives = pairs.stream().filter(ScoredPair::same).count();
        long negatives = pairs.size() - positives;
        if (positives == 0 || negatives == 0) {
            throw new IllegalArgumentException("a ROC curve needs same and different pairs");
        }
        List<ScoredPair> sorted = new ArrayList<>(pairs);
        sorted.sort(Comparator.comparingDouble(ScoredPair::score).reversed());
        List<Point> points = new ArrayList<>();
        points.add(new Point(0, 0));
        long tp = 0, fp = 0;
        for (int i = 0; i < sorted.size(); i++) {
            if (sorted.get(i).same()) {
                tp++;
            } else {
                fp++;
            }
            if (i + 1 == sorted.size() || sorted.get(i + 1).score() != sorted.get(i).score()) {
                points.add(new Point((double) fp / negatives, (double) tp / positives));
            }
        }
        return points;
    }

    public byte[] toPng(int width, int height) {
        ChartCanvas c = new ChartCanvas(width, height, title, "false-accept rate (log)", "true-accept rate");
        c.legendAtBottom = true;
        double span = -Math.log10(MIN_FAR);
        for (double far = MIN_FAR; far <= 1.0001; far *= 10) {
            c.xTick((Math.log10(far) + span) / span, ChartCanvas.format(far));
        }
        for (int t = 0; t <= 5; t++) {
            c.yTick(t / 5.0, ChartCanvas.format(t / 5.0));
        }
        for (int k = 0; k < curves.size(); k++) {
            List<Point> curve = curves.get(k);
            int[] xs = new int[curve.size() * 2], ys = new int[curve.size() * 2];
            int n = 0;
            double lastTar = 0;
            for (Point p : curve) {
                double fx = (Math.log10(Math.max(p.far(), MIN_FAR)) + span) / span;
                // a step curve: the rate holds until the next false accept
                xs[n] = c.px(fx);
                ys[n++] = c.py(lastTar);
                xs[n] = c.px(fx);
                ys[n++] = c.py(p.tar());
                lastTar = p.tar();
            }
            c.series(k, names.get(k), xs, ys, n);
        }
        return c.png();
    }

    public void write(Path file) {
        ChartCanvas.write(file, toPng(640, 520));
    }
}
