package org.arcstream.trainer.plot;

/** Projection of points onto their leading principal components (power iteration with deflation). */
final class PrincipalComponents {

    private static final int ITERATIONS = 200;

    private PrincipalComponents() {}

    /** The points, centred, expressed in their first {@code k} principal directions. */
    static float[][] project(float[][] points, int k) {
        int n = points.length, d = points[0].length;
        double[] mean = new double[d];
        for (float[] p : points) {
            for (int j = 0; j < d; j++) {
                mean[j] += p[j] / (double) n;
            }
        }
        double[][] cov = new double[d][d];
        for (float[] p : points) {
            for (int a = 0; a < d; a++) {
                double da = p[a] - mean[a];
                for (int b = 0; b < d; b++) {
                    cov[a][b] += da * (p[b] - mean[b]);
                }
            }
        }
        double[][] components = new double[k][];
        for (int c = 0; c < k; c++) {
            double[] v = new double[d];
            // a fixed, non-degenerate start keeps the picture reproducible
            for (int j = 0; j < d; j++) {
                v[j] = 1.0 / (j + 1 + c);
            }
            for (int it = 0; it < ITERATIONS; it++) {
                double[] w = new double[d];
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b < d; b++) {
                        w[a] += cov[a][b] * v[b];
                    }
                }
                for (int prev = 0; prev < c; prev++) {
                    double along = dot(w, components[prev]);
                    for (int j = 0; j < d; j++) {
                        w[j] -= along * components[prev][j];
                    }
                }
                double norm = Math.sqrt(dot(w, w));
                if (norm < 1e-12) {
                    break; // no variance left in this direction
                }
                for (int j = 0; j < d; j++) {
                    v[j] = w[j] / norm;
                }
            }
            components[c] = v;
        }
        float[][] out = new float[n][k];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += (points[i][j] - mean[j]) * components[c][j];
                }
                out[i][c] = (float) s;
            }
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
