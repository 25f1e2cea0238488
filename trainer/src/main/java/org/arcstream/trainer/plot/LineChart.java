package org.arcstream.trainer.plot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A line chart of one or more named series (e.g. loss per step), rendered headless to PNG. */
public final class LineChart {

    /** A named series; {@code x} and {@code y} have equal length. */
    public record Series(String name, double[] x, double[] y) {
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException("series '" + name + "': " + x.length + " x values but " + y.length + " y values");
            }
        }
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();

    public LineChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public LineChart add(String name, double[] x, double[] y) {
        series.add(new Series(name, x, y));
        return this;
    }

    /** The chart as PNG bytes; non-finite points are left out. */
    public byte[] toPng(int width, int height) {
        double minX = Double.POSITIVE_INFINITY, maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                    minX = Math.min(minX, s.x()[i]);
                    maxX = Math.max(maxX, s.x()[i]);
                    minY = Math.min(minY, s.y()[i]);
                    maxY = Math.max(maxY, s.y()[i]);
                }
            }
        }
        if (minX > maxX) {
            minX = 0;
            maxX = 1;
            minY = 0;
            maxY = 1;
        }
        if (maxX == minX) {
            maxX = minX + 1;
        }
        if (maxY == minY) {
            maxY = minY + 1;
        }
        ChartCanvas c = new ChartCanvas(width, height, title, xLabel, yLabel);
        for (int t = 0; t <= 4; t++) {
            c.xTick(t / 4.0, ChartCanvas.format(minX + t * (maxX - minX) / 4));
            c.yTick(t / 4.0, ChartCanvas.format(minY + t * (maxY - minY) / 4));
        }
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            int[] xs = new int[s.x().length], ys = new int[s.x().length];
            int n = 0;
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                    xs[n] = c.px((s.x()[i] - minX) / (maxX - minX));
                    ys[n] = c.py((s.y()[i] - minY) / (maxY - minY));
                    n++;
                }
            }
            if (n > 0) {
                c.series(k, s.name(), xs, ys, n);
            }
        }
        return c.png();
    }

    public void write(Path file) {
        ChartCanvas.write(file, toPng(800, 480));
    }
}
