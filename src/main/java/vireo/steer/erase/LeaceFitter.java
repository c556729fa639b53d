package vireo.steer.erase;

import vireo.tensor.SymmetricEigen;

/**
 * Fits a {@link LeaceEraser} for a scalar concept z from activations x (n × d), with the formulas of EleutherAI's
 * concept-erasure {@code LeaceFitter.eraser} (affine, scalar z):
 * <ul>
 *   <li>μ̄ = mean x; Σxz = Σᵢ(xᵢ − μ̄)(zᵢ − z̄)/(n − 1).</li>
 *   <li>{@code orth}: W = I. {@code leace}: Σxx = sample covariance, either with the optimal linear shrinkage of
 *       {@link #shrink} (divisor n) or Bessel's n − 1; eigen-decomposed Σxx = V L Vᵀ, eigenvalues at or below
 *       L_max·d·2⁻⁵² dropped (torch.linalg.pinv's rule); W = V L^{-1/2} Vᵀ, W⁺ = V L^{1/2} Vᵀ.</li>
 *   <li>u = WΣxz/‖WΣxz‖, zeroed (the eraser becomes the identity) when ‖WΣxz‖ ≤ svd_tol (default 0.01);
 *       left = W⁺u, right = Wu.</li>
 *   <li>Trace constraint (leace only, default on): if tr(PΣPᵀ) &gt; tr(Σ) for P = I − left rightᵀ, P is mixed
 *       with Q = I − uuᵀ as αP + (1−α)Q, α the positive root of the reference's quadratic, clamped to [0, 1]. For a
 *       scalar z it never fires, since tr(PΣPᵀ) = tr Σ − ‖Σxz‖²/(ΣxzᵀΣ⁺Σxz); kept for fidelity.</li>
 * </ul>
 * Eigen-decomposition is cyclic Jacobi in double: exact to ~1e-12, O(d³) per sweep, so meant for d up to a few
 * hundred per site; {@code orth} needs no decomposition.
 */
public final class LeaceFitter {
    public enum Method { LEACE, ORTH }

    /** The reference's defaults: method leace, shrinkage on, constrain_cov_trace on, svd_tol 0.01. */
    public record Options(Method method, boolean shrinkage, boolean constrainCovTrace, double svdTol) {
        public static final Options LEACE = new Options(Method.LEACE, true, true, 0.01);
        public static final Options ORTH = new Options(Method.ORTH, true, true, 0.01);

        public Options {
            if (!(svdTol > 0)) throw new IllegalArgumentException("svd_tol must be positive");
        }
    }

    private LeaceFitter() {}

    public static LeaceEraser fit(double[][] x, double[] z, Options o) {
        int n = x.length;
        if (n < 2 || z.length != n) throw new IllegalArgumentException("need n >= 2 rows with one z each");
        int d = x[0].length;
        double[] mean = new double[d];
        double zMean = 0;
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < d; i++) mean[i] += x[r][i];
            zMean += z[r];
        }
        for (int i = 0; i < d; i++) mean[i] /= n;
        zMean /= n;
        double[] sxz = new double[d];
        for (int r = 0; r < n; r++)
            for (int i = 0; i < d; i++) sxz[i] += (x[r][i] - mean[i]) * (z[r] - zMean);
        for (int i = 0; i < d; i++) sxz[i] /= n - 1;

        if (o.method() == Method.ORTH) {
            double s = norm(sxz);
            if (s <= o.svdTol()) return new LeaceEraser(mean, new double[0][], new double[0][]);
            double[] u = scale(sxz, 1 / s);
            return new LeaceEraser(mean, new double[][]{u}, new double[][]{u.clone()});
        }

        double[][] sigma = new double[d][d];
        for (int r = 0; r < n; r++)
            for (int i = 0; i < d; i++) {
                double a = x[r][i] - mean[i];
                for (int j = 0; j < d; j++) sigma[i][j] += a * (x[r][j] - mean[j]);
            }
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) sigma[i][j] /= o.shrinkage() ? n : n - 1;
        if (o.shrinkage()) shrink(sigma, n);

        SymmetricEigen e = SymmetricEigen.of(sigma);
        double lMax = 0;
        for (double l : e.values()) lMax = Math.max(lMax, l);
        double cut = lMax * d * Math.ulp(1.0);
        double[] wDiag = new double[d], wInvDiag = new double[d];
        for (int k = 0; k < d; k++) {
            double l = Math.max(e.values()[k], 0);
            if (e.values()[k] > cut) { wDiag[k] = 1 / Math.sqrt(l); wInvDiag[k] = Math.sqrt(l); }
        }
        double[] wSxz = e.apply(wDiag, sxz);
        double s = norm(wSxz);
        if (s <= o.svdTol()) return new LeaceEraser(mean, new double[0][], new double[0][]);
        double[] u = scale(wSxz, 1 / s);
        double[] left = e.apply(wInvDiag, u), right = e.apply(wDiag, u);
        if (!o.constrainCovTrace()) return new LeaceEraser(mean, new double[][]{left}, new double[][]{right});

        // traces with M = left·rightᵀ (P = I − M) and N = u·uᵀ (Q = I − N), without forming d×d products
        double[] sLeft = mul(sigma, left), sRight = mul(sigma, right), sU = mul(sigma, u);
        double tr = 0;
        for (int i = 0; i < d; i++) tr += sigma[i][i];
        double trMS = dot(right, sLeft);                        // tr(MΣ)
        double trMSM = dot(right, sRight) * dot(left, left);    // tr(MΣMᵀ)
        double trNS = dot(u, sU);                               // tr(NΣ) = tr(ΣNᵀ)
        double trMSN = dot(u, left) * dot(right, sU);           // tr(MΣNᵀ)
        double newTrace = tr - 2 * trMS + trMSM;
        if (!(newTrace > tr)) return new LeaceEraser(mean, new double[][]{left}, new double[][]{right});
        double xq = newTrace;
        double yq = 2 * (tr - trMS - trNS + trMSN);             // 2 tr(PΣQᵀ)
        double zq = tr - 2 * trNS + trNS * dot(u, u);           // tr(QΣQᵀ)
        double w = tr;
        double discr = Math.sqrt(4 * w * xq - 4 * w * yq + 4 * w * zq - 4 * xq * zq + yq * yq);
        double a1 = (-yq / 2 + zq - discr / 2) / (xq - yq + zq);
        double a2 = (-yq / 2 + zq + discr / 2) / (xq - yq + zq);
        double alpha = Math.min(1, Math.max(0, a1 > 0 ? a1 : a2));
        // I − (αP + (1−α)Q) = αM + (1−α)N
        return new LeaceEraser(mean, new double[][]{scale(left, alpha), scale(u, 1 - alpha)}, new double[][]{right, u.clone()});
    }

    /**
     * concept-erasure's optimal linear shrinkage, in place, of a sample covariance S (divisor n): with T = tr S,
     * p = d, Σ₀ = (T/p)I: α = 1 − (T²·‖Σ₀‖²/n)/(‖S‖²‖Σ₀‖² − tr(SΣ₀)²), Σ̂ = αS + (1−α)(tr(SΣ₀)/‖Σ₀‖²)Σ₀.
     */
    public static void shrink(double[][] s, int n) {
        int p = s.length;
        double t = 0, sNormSq = 0;
        for (int i = 0; i < p; i++) {
            t += s[i][i];
            for (int j = 0; j < p; j++) sNormSq += s[i][j] * s[i][j];
        }
        double sigma0NormSq = t * t / p;   // ‖(T/p)I‖_F²
        double prodTrace = t * t / p;      // tr(S·(T/p)I)
        double top = t * t * sigma0NormSq / n;
        double bottom = sNormSq * sigma0NormSq - prodTrace * prodTrace;
        double alpha = 1 - top / bottom;
        double beta = (1 - alpha) * prodTrace / sigma0NormSq;
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) s[i][j] *= alpha;
            s[i][i] += beta * t / p;
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static double norm(double[] a) { return Math.sqrt(dot(a, a)); }

    private static double[] scale(double[] a, double f) {
        double[] o = new double[a.length];
        for (int i = 0; i < a.length; i++) o[i] = a[i] * f;
        return o;
    }

    private static double[] mul(double[][] m, double[] v) {
        double[] o = new double[v.length];
        for (int i = 0; i < v.length; i++) o[i] = dot(m[i], v);
        return o;
    }
}
