package vireo.tpc;

import java.util.SplittableRandom;

/**
 * A physics-flavoured generator of outer-layer TPC wedges for when no data is at hand. It is a toy, not Geant4:
 * helical tracks from the vertex in the 1.4 T solenoid cross the 16 outer layers (radii 60–78 cm); each crossing
 * leaves a Landau-distributed (Moyal) ionisation charge spread along the track segment inside the layer, smeared by
 * transverse diffusion plus pad response over azimuth bins and by longitudinal diffusion plus the shaper's pulse over
 * time bins; then gain, electronic noise, zero suppression and the 10-bit clip. Pile-up collisions within the drift
 * window shift their tracks in time. The number of tracks is calibrated to hit a requested occupancy.
 *
 * <p>Geometry of one wedge: 1/12 of the azimuth (192 of the 2304 outer-group bins), one side of the drift length
 * (249 time bins over 105 cm), 16 layers. Output is raw ADC (uint16 as stored in the authors' .npy files) in
 * {@link Wedge}'s (azimuth, z, layer) C order.
 */
public final class Simulator {
    /** Solenoid field in tesla. */
    public static final double FIELD_T = 1.4;
    public static final double R_INNER_CM = 60.0, R_OUTER_CM = 78.0;
    public static final double DRIFT_CM = 105.0;
    static final double LAYER_CM = (R_OUTER_CM - R_INNER_CM) / Wedge.LAYERS;
    static final double DPHI = 2 * Math.PI / 2304;            // one azimuth bin
    static final double WEDGE_PHI = Wedge.AZIMUTH * DPHI;     // 2π/12
    static final double DZ = DRIFT_CM / Wedge.Z;              // one time bin in cm of drift

    /**
     * Knobs of the toy, in physical units where they have one. {@link #DEFAULT} was tuned by hand against the public
     * Au+Au sample wedge (see SimulatorTest for the statistics it is held to).
     *
     * @param ptMinGeV          lower edge of the pT spectrum (GeV/c)
     * @param ptSlopeGeV        slope T of dN/dpT ∝ pT·exp(−pT/T)
     * @param etaMax            |η| acceptance
     * @param vertexSigmaCm     σ of the collision vertex along the beam
     * @param pileupFraction    fraction of tracks from pile-up collisions (uniform time offset over the drift window)
     * @param looperFraction    fraction of tracks with 2R inside the outer group (they stop and turn back)
     * @param mpvCharge         most probable charge per cm of track (ADC counts before the split over voxels)
     * @param landauWidth       width of the Moyal tail relative to the most probable value
     * @param dedxSpread        σ of the log-normal track-to-track dE/dx factor (species, slow heavily ionising particles)
     * @param sigmaAzCm         transverse spread: diffusion ⊕ pad response, in cm at the pad plane
     * @param diffusionTCm      transverse diffusion coefficient, cm per √cm of drift
     * @param shaperBins        peaking time of the shaper (CR-RC⁴-like pulse), in time bins
     * @param sigmaZCm          longitudinal spread of the charge, in cm
     * @param pedestal          baseline added to every sample before zero suppression (the stored values keep it)
     * @param noiseAdc          σ of the electronic noise on stored values
     * @param threshold         zero-suppression threshold; the decision sees an independent noise sample
     * @param thresholdNoise    σ of the noise on the zero-suppression decision (softens the turn-on)
     * @param floor             no stored value is below this (the sample has none in 1–69)
     */
    public record Config(double ptMinGeV, double ptSlopeGeV, double etaMax, double vertexSigmaCm, double pileupFraction,
                         double looperFraction,
                         double mpvCharge, double landauWidth, double dedxSpread, double sigmaAzCm, double diffusionTCm, double shaperBins,
                         double sigmaZCm, double pedestal, double noiseAdc, double threshold, double thresholdNoise, int floor) {
        public static final Config DEFAULT = new Config(0.1, 0.3, 1.1, 10.0, 0.5, 0.4,
                100.0, 1.2, 1.4, 0.25, 0.012, 3.0,
                1.0, 68.0, 1.5, 75.0, 1.5, 70);
    }

    private final Config cfg;
    private final double[] pulse;       // shaper response sampled at sub-bin offsets (see deposit)
    private static final int PULSE_SUB = 8, PULSE_BINS = 12;

    public Simulator() { this(Config.DEFAULT); }

    public Simulator(Config cfg) {
        this.cfg = cfg;
        // CR-RC^4 pulse h(t) ∝ (t/τ)^4 exp(−4 t/τ), peak at t = τ, normalised to unit area per arrival time.
        pulse = new double[PULSE_SUB * PULSE_BINS];
        double tau = cfg.shaperBins;
        double sum = 0;
        for (int i = 0; i < pulse.length; i++) {
            double t = (i + 0.5) / PULSE_SUB;
            double x = t / tau;
            pulse[i] = Math.pow(x, 4) * Math.exp(-4 * (x - 1));
            sum += pulse[i];
        }
        // sampled once per bin at any fixed sub-bin phase, the samples then sum to ≈ 1
        for (int i = 0; i < pulse.length; i++) pulse[i] *= PULSE_SUB / sum;
    }

    public Config config() { return cfg; }

    /** Radius of layer l's centre, cm. */
    static double layerRadius(int l) { return R_INNER_CM + (l + 0.5) * LAYER_CM; }

    /** Radius of curvature in cm for transverse momentum pT (GeV/c): R[m] = pT / (0.3·B). */
    static double curvatureRadiusCm(double ptGeV) { return 100.0 * ptGeV / (0.3 * FIELD_T); }

    /** Result of one simulation: the raw ADC wedge and how many tracks made it. */
    public record Result(short[] adc, int tracks) {
        public Wedge wedge() { return Wedge.fromAdc(adc); }

        public double occupancy() {
            int n = 0;
            for (short s : adc) if (s != 0) n++;
            return n / (double) Wedge.VOXELS;
        }
    }

    /** A wedge of {@code tracks} tracks (tracks generated over the whole wedge's azimuth plus a bending margin). */
    public Result simulateTracks(int tracks, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] charge = new float[Wedge.VOXELS];
        for (int t = 0; t < tracks; t++) addTrack(rng, charge);
        return new Result(digitise(charge, rng), tracks);
    }

    /**
     * A wedge whose occupancy is within about 1 % (relative) of {@code occupancy} (a fraction, e.g. 0.1 for 10 %).
     * The track count is found by secant steps on the saturation model occ = 1 − exp(−k·n) with this very seed:
     * the first n tracks of a seed do not depend on n, so the family of wedges is nested and the search converges.
     */
    public Result simulate(double occupancy, long seed) {
        checkOccupancy(occupancy);
        int n = tracksFor(occupancy);
        Result best = null;
        for (int iter = 0; iter < 8; iter++) {
            Result r = simulateTracks(n, seed);
            if (best == null || Math.abs(r.occupancy() - occupancy) < Math.abs(best.occupancy() - occupancy)) best = r;
            double occ = r.occupancy();
            if (Math.abs(occ - occupancy) <= 0.01 * occupancy) break;
            if (occ <= 0) { n *= 2; continue; }
            double k = -Math.log(1 - occ) / n;
            int next = Math.max(1, (int) Math.round(-Math.log(1 - occupancy) / k));
            if (next == n) break;
            n = next;
        }
        return best;
    }

    private static void checkOccupancy(double occupancy) {
        if (!(occupancy > 0 && occupancy <= 0.3))
            throw new IllegalArgumentException("occupancy must be in (0, 0.3], got " + occupancy);
    }

    /**
     * The number of tracks that gives {@code occupancy} on average over a few fixed calibration seeds (so the answer
     * does not depend on the caller's seed).
     */
    public int tracksFor(double occupancy) {
        checkOccupancy(occupancy);
        int n = Math.max(1, (int) Math.round(occupancy * 20000));
        for (int iter = 0; iter < 6; iter++) {
            double occ = meanOccupancy(n, 3);
            if (occ <= 0) { n *= 4; continue; }
            double k = -Math.log(1 - occ) / n;
            int next = Math.max(1, (int) Math.round(-Math.log(1 - occupancy) / k));
            if (Math.abs(next - n) <= Math.max(1, n / 100)) return next;
            n = next;
        }
        return n;
    }

    private double meanOccupancy(int tracks, int repeats) {
        double s = 0;
        for (int r = 0; r < repeats; r++) s += simulateTracks(tracks, 0x5eed_cafeL + r).occupancy();
        return s / repeats;
    }

    private static double moyal(SplittableRandom rng) {
        double g = gaussian(rng);
        return -Math.log(g * g + 1e-12);
    }

    private static double gaussian(SplittableRandom rng) {
        // Marsaglia polar method; SplittableRandom has no nextGaussian in every JDK build we target.
        double u, v, s;
        do {
            u = 2 * rng.nextDouble() - 1;
            v = 2 * rng.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        return u * Math.sqrt(-2 * Math.log(s) / s);
    }

    private double samplePt(SplittableRandom rng) {
        // loopers: soft particles (conversion electrons, slow pions) whose helix turns inside the outer layer group
        if (rng.nextDouble() < cfg.looperFraction) {
            double lo = R_INNER_CM * 0.3 * FIELD_T / 200.0, hi = R_OUTER_CM * 0.3 * FIELD_T / 200.0;
            return lo + rng.nextDouble() * (hi - lo);
        }
        // pT·exp(−pT/T) is a Gamma(2, T): sum of two exponentials, shifted by the lower edge.
        double t = cfg.ptSlopeGeV;
        return cfg.ptMinGeV + t * (-Math.log(1 - rng.nextDouble()) - Math.log(1 - rng.nextDouble()));
    }

    private void addTrack(SplittableRandom rng, float[] charge) {
        double pt = samplePt(rng);
        double rCurv = curvatureRadiusCm(pt);
        int q = rng.nextBoolean() ? 1 : -1;
        // Tracks may start outside the wedge and bend into it: generate over the wedge plus the largest bend seen
        // at the outer radius for this pT, so the density of tracks per unit azimuth is the same for every pT.
        double maxBend = R_OUTER_CM >= 2 * rCurv ? Math.PI / 2 : Math.asin(R_OUTER_CM / (2 * rCurv));
        double phi0 = -maxBend + rng.nextDouble() * (WEDGE_PHI + 2 * maxBend);
        double eta = (2 * rng.nextDouble() - 1) * cfg.etaMax;
        double cotTheta = Math.sinh(eta), cosh = Math.cosh(eta);
        boolean pileup = rng.nextDouble() < cfg.pileupFraction;
        double z0 = gaussian(rng) * cfg.vertexSigmaCm + (pileup ? (2 * rng.nextDouble() - 1) * DRIFT_CM : 0);
        double qScale = moyalCharge(rng);
        // the outgoing arm crosses every layer it reaches; a looper (2R < outer radius) turns back and crosses the
        // layers below its turning radius a second time on the way in
        for (int arm = 0; arm < 2; arm++) {
            if (arm == 1 && 2 * rCurv >= R_OUTER_CM) break;
            for (int l = 0; l < Wedge.LAYERS; l++) {
                double r = layerRadius(l);
                if (r >= 2 * rCurv) break;                     // curls up before this layer
                double sinPsi = r / (2 * rCurv);                // angle between track and radial direction
                double cosPsi = Math.sqrt(1 - sinPsi * sinPsi);
                double turn = arm == 0 ? Math.asin(sinPsi) : Math.PI - Math.asin(sinPsi);
                double phi = phi0 - q * turn;
                double s = 2 * rCurv * turn;                   // transverse arc length from the vertex
                double z = z0 + s * cotTheta;
                // path inside the layer: transverse t/cosψ, full 3-D length × cosh η
                double dRphi = LAYER_CM * sinPsi / cosPsi * -q;
                double dz = LAYER_CM / cosPsi * cotTheta;
                double path = LAYER_CM / cosPsi * cosh;
                // each layer crossing fluctuates on its own, around the track's own dE/dx
                double hitCharge = cfg.mpvCharge * path * qScale * (1 + cfg.landauWidth * moyal(rng)) / (1 + cfg.landauWidth);
                if (hitCharge <= 0) continue;
                deposit(charge, l, r, phi, z, dRphi, dz, hitCharge);
            }
        }
    }

    private double moyalCharge(SplittableRandom rng) {
        // track-to-track dE/dx spread (particle species, momentum): a mild log-normal factor
        return Math.exp(cfg.dedxSpread * gaussian(rng));
    }

    /** Spreads {@code q} along the segment centred at (φ, z) with extent (dRphi, dz) inside layer l. */
    private void deposit(float[] charge, int l, double r, double phi, double z, double dRphi, double dz, double q) {
        final int steps = 6;
        double driftLen = Math.abs(z);                     // distance to the readout end; z=0 is the central membrane
        double sAz = Math.hypot(cfg.sigmaAzCm, cfg.diffusionTCm * Math.sqrt(DRIFT_CM - Math.min(DRIFT_CM, driftLen)));
        double binCm = r * DPHI;
        double sAzBins = sAz / binCm, sZBins = cfg.sigmaZCm / DZ;
        int reachAz = (int) Math.ceil(3 * sAzBins) + 1;
        double[] wAz = new double[2 * reachAz + 2];
        for (int k = 0; k < steps; k++) {
            double f = (k + 0.5) / steps - 0.5;
            double aPos = (phi + f * dRphi / r) / DPHI;        // in azimuth bins (0 = wedge edge)
            double zPos = (z + f * dz) / DZ;                       // time of arrival, in bins
            if (zPos < -2 || zPos >= Wedge.Z) continue;
            double qs = q / steps;
            // azimuth weights: Gaussian integrated over each bin
            int a0 = (int) Math.floor(aPos) - reachAz;
            double wsum = 0;
            for (int i = 0; i < wAz.length; i++) {
                double c = a0 + i + 0.5 - aPos;
                wAz[i] = Math.exp(-0.5 * c * c / (sAzBins * sAzBins));
                wsum += wAz[i];
            }
            // longitudinal: Gaussian spread of the arrival time folded with the shaper pulse
            for (int g = -2; g <= 2; g++) {
                double wz = Math.exp(-0.5 * g * g / Math.max(1e-6, 4 * sZBins * sZBins));
                double zArr = zPos + g * 0.5;
                double zw = wz / gaussNorm(sZBins);
                addPulse(charge, l, a0, wAz, wsum, zArr, qs * zw);
            }
        }
    }

    private static double gaussNorm(double sZBins) {
        double s = 0;
        for (int g = -2; g <= 2; g++) s += Math.exp(-0.5 * g * g / Math.max(1e-6, 4 * sZBins * sZBins));
        return s;
    }

    private void addPulse(float[] charge, int l, int a0, double[] wAz, double wsum, double zArr, double q) {
        if (zArr < 0) zArr = 0;
        int zb0 = (int) Math.floor(zArr);
        int sub = (int) ((zArr - zb0) * PULSE_SUB);           // where inside the first bin the charge arrives
        for (int j = 0; j < PULSE_BINS; j++) {
            int zb = zb0 + j;
            if (zb >= Wedge.Z) break;
            // pulse value averaged over bin j after arrival
            int pi = j * PULSE_SUB + (PULSE_SUB - 1 - sub);
            if (pi >= pulse.length) break;
            double qz = q * pulse[pi];
            if (qz < 1e-3) continue;
            for (int i = 0; i < wAz.length; i++) {
                int a = a0 + i;
                if (a < 0 || a >= Wedge.AZIMUTH) continue;
                charge[Wedge.index(a, zb, l)] += (float) (qz * wAz[i] / wsum);
            }
        }
    }

    /** Noise, zero suppression with a noisy decision, the floor and the 10-bit clip. */
    private short[] digitise(float[] charge, SplittableRandom rng) {
        short[] adc = new short[Wedge.VOXELS];
        double cut = cfg.threshold - 4 * cfg.thresholdNoise;  // below this a voxel cannot pass: skip the noise draws
        for (int i = 0; i < charge.length; i++) {
            double c = charge[i] + cfg.pedestal;
            if (c < cut) continue;
            if (c + gaussian(rng) * cfg.thresholdNoise < cfg.threshold) continue;
            long v = Math.round(c + gaussian(rng) * cfg.noiseAdc);
            if (v < cfg.floor) continue;
            adc[i] = (short) Math.min(1023, v);
        }
        return adc;
    }
}
