package vireo.tensor;

import java.util.Arrays;

/**
 * The eigen-decomposition S = V diag(values) Vᵀ of a small symmetric matrix in double precision, by cyclic Jacobi
 * rotations: exact to ~1e-12 and O(d³) per sweep, so meant for d up to a few hundred (probes, erasers). Values are
 * ascending; the eigenvectors are the columns of {@code vectors}.
 */
public record SymmetricEigen(double[] values, double[][] vectors) {

    public static SymmetricEigen of(double[][] m) {
        int d = m.length;
        double[][] a = new double[d][];
        for (int i = 0; i < d; i++) a[i] = m[i].clone();
        double[][] v = new double[d][d];
        for (int i = 0; i < d; i++) v[i][i] = 1;
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0, diag = 0;
            for (int i = 0; i < d; i++) {
                diag += a[i][i] * a[i][i];
                for (int j = i + 1; j < d; j++) off += a[i][j] * a[i][j];
            }
            if (off <= 1e-30 * diag || off == 0) break;
            for (int p = 0; p < d; p++)
                for (int q = p + 1; q < d; q++) {
                    if (a[p][q] == 0) continue;
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = theta == 0 ? 1 : Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    double c = 1 / Math.sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < d; k++) {
                        double akp = a[k][p], akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < d; k++) {
                        double apk = a[p][k], aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < d; k++) {
                        double vkp = v[k][p], vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
        }
        Integer[] order = new Integer[d];
        for (int i = 0; i < d; i++) order[i] = i;
        Arrays.sort(order, (x, y) -> Double.compare(a[x][x], a[y][y]));
        double[] values = new double[d];
        double[][] vectors = new double[d][d];
        for (int k = 0; k < d; k++) {
            values[k] = a[order[k]][order[k]];
            for (int i = 0; i < d; i++) vectors[i][k] = v[i][order[k]];
        }
        return new SymmetricEigen(values, vectors);
    }

    /** V diag(f) Vᵀ y. */
    public double[] apply(double[] f, double[] y) {
        int d = y.length;
        double[] c = new double[d];
        for (int k = 0; k < d; k++) {
            double s = 0;
            for (int i = 0; i < d; i++) s += vectors[i][k] * y[i];
            c[k] = f[k] * s;
        }
        double[] out = new double[d];
        for (int i = 0; i < d; i++) {
            double s = 0;
            for (int k = 0; k < d; k++) s += vectors[i][k] * c[k];
            out[i] = s;
        }
        return out;
    }
}
