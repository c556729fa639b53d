package vireo.tpc;

import net.jqwik.api.*;
import org.junit.jupiter.api.Test;
import vireo.SharedData;

import static org.junit.jupiter.api.Assertions.*;

class BaselineCodecsTest {
    private static final Simulator SIM = new Simulator();

    @Test
    void zstdRoundTripIsLossless() {
        short[] adc = SIM.simulate(0.05, 11).adc();
        ZstdCodec z = new ZstdCodec(3);
        byte[] code = z.encodeAdc(adc);
        assertArrayEquals(adc, z.decodeAdc(code));
        assertTrue(ZstdCodec.ratio(code) > 2, "a 5 % wedge compresses");
    }

    @Test
    void zstdOnTheRealWedge() {
        short[] adc = WedgeFiles.readAdc(SharedData.require("data/tpc/auau_sample.npy"));
        ZstdCodec z = new ZstdCodec();
        byte[] code = z.encodeAdc(adc);
        assertArrayEquals(adc, z.decodeAdc(code));
        double ratio = ZstdCodec.ratio(code);
        System.out.printf("zstd-19 on auau_sample.npy: %d bytes, ratio %.3f%n", code.length, ratio);
        assertTrue(ratio > 3 && ratio < 20, "ratio " + ratio);
    }

    /** Random sparse wedges (random occupancy, random log values) and random bounds: |decoded − x| ≤ e everywhere. */
    @Property(tries = 12)
    void szHonoursItsErrorBound(@ForAll("bounds") double e, @ForAll long seed, @ForAll("occupancies") double occ) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        float[] x = new float[Wedge.VOXELS];
        for (int i = 0; i < x.length; i++)
            if (r.nextDouble() < occ) x[i] = (float) (6.13 + r.nextDouble() * 3.87);
        Wedge w = new Wedge(x);
        SzCodec sz = new SzCodec(e);
        float[] d = sz.decode(sz.encode(w)).log();
        for (int i = 0; i < x.length; i++) {
            if (x[i] == 0f) assertEquals(0f, d[i], "zero stays zero at " + i);
            else assertTrue(Math.abs(d[i] - x[i]) <= e, "voxel " + i + ": " + x[i] + " -> " + d[i] + " with e=" + e);
        }
    }

    @Provide
    Arbitrary<Double> bounds() { return Arbitraries.doubles().between(1e-5, 2.0).ofScale(6); }

    @Provide
    Arbitrary<Double> occupancies() { return Arbitraries.doubles().between(0.0, 0.3); }

    @Test
    void szBoundHoldsOnASimulatedWedgeAndMaeSearchLandsOnTarget() {
        Wedge w = SIM.simulate(0.1, 2).wedge();
        SzCodec sz = SzCodec.forTargetMae(w, 0.02);
        ReconstructionMetrics m = ReconstructionMetrics.compare(w, sz.decode(sz.encode(w)));
        assertTrue(m.mae() <= 0.02 && m.mae() > 0.015, "MAE " + m.mae() + " at e=" + sz.bound());
        assertEquals(1.0, m.recall());
        assertEquals(1.0, m.precision());
    }
}
