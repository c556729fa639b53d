package vireo.elk;

/**
 * Limited-memory BFGS (history 10) with a backtracking Armijo line search, for the smooth objectives of the probes.
 * Stops when the gradient's max-norm falls below {@code tol} or after {@code maxIter} iterations (the paper's LR uses
 * 10,000), or when f changes by less than 1e-14 relative (float noise).
 */
final class Lbfgs {
    /** Objective: returns f(x) and writes the gradient into g. */
    interface Objective { double eval(double[] x, double[] g); }

    private Lbfgs() {}

    static double[] minimize(Objective f, double[] x0, int maxIter, double tol) {
        int n = x0.length, m = 10;
        double[] x = x0.clone(), g = new double[n];
        double fx = f.eval(x, g);
        double[][] s = new double[m][], y = new double[m][];
        double[] rho = new double[m];
        int k = 0;
        double[] gNew = new double[n], xNew = new double[n];
        for (int it = 0; it < maxIter; it++) {
            double gmax = 0;
            for (double v : g) gmax = Math.max(gmax, Math.abs(v));
            if (gmax < tol) break;
            double[] q = g.clone();
            int h = Math.min(k, m);
            double[] alpha = new double[m];
            for (int i = 0; i < h; i++) {
                int j = Math.floorMod(k - 1 - i, m);
                alpha[j] = rho[j] * Linalg.dot(s[j], q);
                for (int t = 0; t < n; t++) q[t] -= alpha[j] * y[j][t];
            }
            double gamma = 1;
            if (h > 0) { int j = Math.floorMod(k - 1, m); gamma = Linalg.dot(s[j], y[j]) / Linalg.dot(y[j], y[j]); }
            else gamma = 1 / Math.max(1, Math.sqrt(Linalg.dot(g, g)));
            for (int t = 0; t < n; t++) q[t] *= gamma;
            for (int i = h - 1; i >= 0; i--) {
                int j = Math.floorMod(k - 1 - i, m);
                double beta = rho[j] * Linalg.dot(y[j], q);
                for (int t = 0; t < n; t++) q[t] += (alpha[j] - beta) * s[j][t];
            }
            double slope = -Linalg.dot(g, q);
            if (slope >= 0) { for (int t = 0; t < n; t++) q[t] = g[t]; slope = -Linalg.dot(g, g); k = 0; }
            double step = 1, fNew;
            while (true) {
                for (int t = 0; t < n; t++) xNew[t] = x[t] - step * q[t];
                fNew = f.eval(xNew, gNew);
                if (fNew <= fx + 1e-4 * step * slope || step < 1e-12) break;
                step *= 0.5;
            }
            if (step < 1e-12) break;
            double[] sk = new double[n], yk = new double[n];
            for (int t = 0; t < n; t++) { sk[t] = xNew[t] - x[t]; yk[t] = gNew[t] - g[t]; }
            double sy = Linalg.dot(sk, yk);
            if (sy > 1e-300) {
                int j = k % m;
                s[j] = sk; y[j] = yk; rho[j] = 1 / sy;
                k++;
            }
            double[] tmp = x; x = xNew; xNew = tmp;
            tmp = g; g = gNew; gNew = tmp;
            if (Math.abs(fx - fNew) <= 1e-14 * Math.max(1, Math.abs(fx))) { fx = fNew; break; }   // at float noise
            fx = fNew;
        }
        return x;
    }
}
