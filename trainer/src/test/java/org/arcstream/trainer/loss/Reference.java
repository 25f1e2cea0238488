package org.arcstream.trainer.loss;

/** Margin losses written out in plain double arithmetic, independent of DJL, for the tests to compare against. */
final class Reference {

    enum Kind { ARCFACE, ARCFACE_ALGORITHM_1, ARCFACE_EASY, COSFACE, SOFTMAX }

    final Kind kind;
    final double scale;
    final double margin;

    Reference(Kind kind, double scale, double margin) {
        this.kind = kind;
        this.scale = scale;
        this.margin = margin;
    }

    double[][] logits(double[][] e, double[][] w, int[] labels) {
        double[][] out = new double[e.length][w.length];
        for (int i = 0; i < e.length; i++) {
            for (int j = 0; j < w.length; j++) {
                if (kind == Kind.SOFTMAX) {
                    out[i][j] = dot(e[i], w[j]);
                    continue;
                }
                double cos = dot(e[i], w[j]) / Math.sqrt(dot(e[i], e[i]) * dot(w[j], w[j]));
                boolean target = labels[i] == j;
                out[i][j] = scale * (target ? target(cos) : cos);
            }
        }
        return out;
    }

    double target(double cos) {
        switch (kind) {
            case COSFACE:
                return cos - margin;
            case ARCFACE_ALGORITHM_1:
                return Math.cos(Math.acos(cos) + margin);
            case ARCFACE_EASY:
                return cos > 0 ? Math.cos(Math.acos(cos) + margin) : cos;
            case ARCFACE:
                double theta = Math.acos(cos);
                return theta + margin <= Math.PI ? Math.cos(theta + margin) : cos - margin * Math.sin(margin);
            default:
                return cos;
        }
    }

    double loss(double[][] e, double[][] w, int[] labels) {
        double[][] z = logits(e, w, labels);
        double sum = 0;
        int n = 0;
        for (int i = 0; i < z.length; i++) {
            if (labels[i] < 0) {
                continue;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (double v : z[i]) {
                max = Math.max(max, v);
            }
            double norm = 0;
            for (double v : z[i]) {
                norm += Math.exp(v - max);
            }
            sum += max + Math.log(norm) - z[i][labels[i]];
            n++;
        }
        return n == 0 ? 0 : sum / n;
    }

    /** Central finite differences of {@link #loss} with respect to every entry of {@code x} (e or w). */
    double[][] numericGradient(double[][] e, double[][] w, int[] labels, boolean wrtEmbeddings, double h) {
        double[][] x = wrtEmbeddings ? e : w;
        double[][] g = new double[x.length][x[0].length];
        for (int i = 0; i < x.length; i++) {
            for (int k = 0; k < x[i].length; k++) {
                double keep = x[i][k];
                x[i][k] = keep + h;
                double up = loss(e, w, labels);
                x[i][k] = keep - h;
                double down = loss(e, w, labels);
                x[i][k] = keep;
                g[i][k] = (up - down) / (2 * h);
            }
        }
        return g;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
