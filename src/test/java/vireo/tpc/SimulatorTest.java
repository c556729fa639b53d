package vireo.tpc;

import org.junit.jupiter.api.Test;
import vireo.SharedData;

import static org.junit.jupiter.api.Assertions.*;

class SimulatorTest {
    private final Simulator sim = new Simulator();

    @Test
    void curvatureRadiusFollowsTheSolenoidFormula() {
        // R[m] = pT / (0.3 · 1.4 T): 1 GeV/c curls with R = 2.381 m
        assertEquals(238.095, Simulator.curvatureRadiusCm(1.0), 1e-3);
    }

    @Test
    void sameSeedSameWedgeOtherSeedOtherWedge() {
        short[] a = sim.simulateTracks(50, 7).adc(), b = sim.simulateTracks(50, 7).adc(), c = sim.simulateTracks(50, 8).adc();
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c));
    }

    @Test
    void occupancyIsCalibratedFromPpToCentralAuAu() {
        for (double target : new double[]{0.001, 0.01, 0.15}) {
            double occ = sim.simulate(target, 3).occupancy();
            // at 0.1 % a wedge holds ~20 tracks, so one track more or less moves the occupancy by ~5 %
            assertEquals(target, occ, (target < 0.005 ? 0.12 : 0.03) * target, "requested occupancy " + target);
        }
    }

    @Test
    void digitisationRespectsZeroSuppressionAnd10Bits() {
        WedgeStatistics s = WedgeStatistics.of(sim.simulate(0.05, 5).adc());
        assertTrue(s.min() >= 70, "min " + s.min());
        assertTrue(s.max() <= 1023, "max " + s.max());
    }

    /**
     * The real Au+Au sample wedge (occupancy 0.1045) against a simulated wedge at the same occupancy. Tolerances are
     * what the toy reaches honestly (measured: median 85 vs 82, 95 % 182 vs 157, 99 % 338 vs 361; layer profile
     * 0.125 → 0.085 vs 0.121 → 0.082), not tighter.
     */
    @Test
    void statisticsMatchTheRealSampleWedge() {
        WedgeStatistics real = WedgeStatistics.of(WedgeFiles.readAdc(SharedData.require("data/tpc/auau_sample.npy")));
        assertEquals(0.10446, real.occupancy(), 1e-5, "the sample wedge itself");
        WedgeStatistics s = WedgeStatistics.of(sim.simulate(real.occupancy(), 1).adc());
        assertEquals(real.occupancy(), s.occupancy(), 0.02 * real.occupancy());

        // per-layer occupancy: the fall from inner to outer layers, and every layer within 0.025 of the real one
        double realFall = real.layerOccupancy()[15] / real.layerOccupancy()[0];
        double simFall = s.layerOccupancy()[15] / s.layerOccupancy()[0];
        assertEquals(realFall, simFall, 0.12, "outer/inner layer occupancy ratio");
        for (int l = 0; l < 16; l++)
            assertEquals(real.layerOccupancy()[l], s.layerOccupancy()[l], 0.025, "layer " + l);

        // ADC shape: floor, bulk just above threshold, Landau-like tail
        assertEquals(70, s.min(), 2);
        assertEquals(real.percentile(50), s.percentile(50), 6, "median");
        assertEquals(real.percentile(95), s.percentile(95), 0.3 * real.percentile(95), "95th percentile");
        assertEquals(real.percentile(99), s.percentile(99), 0.3 * real.percentile(99), "99th percentile");
        double tv = 0;
        for (int i = 0; i < real.histogram().length; i++) tv += Math.abs(real.histogram()[i] - s.histogram()[i]) / 2;
        assertTrue(tv < 0.2, "total-variation distance of ADC histograms " + tv);
    }
}
