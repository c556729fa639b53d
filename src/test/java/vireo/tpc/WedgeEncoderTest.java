package vireo.tpc;

import org.junit.jupiter.api.Test;
import vireo.SharedData;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The per-voxel inference encoder equals the general sparse-convolution path (kernel maps + GEMM). */
class WedgeEncoderTest {
    static void assertSame(BcaeVs m, Wedge w) {
        BcaeVs.Encoded fast = m.encodeWedge(w), general = m.encodeWedgeSparse(w);
        assertArrayEquals(general.index(), fast.index());
        assertArrayEquals(general.prob(), fast.prob(), 1e-5f); // summation order differs
        assertArrayEquals(general.regr(), fast.regr(), 1e-5f);
    }

    @Test
    void matchesSparseConvolutionOnRandomWedges() {
        BcaeVs m = BcaeVs.initialize(3);
        SplittableRandom rng = new SplittableRandom(7);
        for (double occupancy : new double[]{0.001, 0.05, 0.2}) {
            float[] x = new float[Wedge.VOXELS];
            for (int i = 0; i < x.length; i++) if (rng.nextDouble() < occupancy) x[i] = 6f + 4f * (float) rng.nextDouble();
            assertSame(m, new Wedge(x));
        }
        assertEquals(0, m.encodeWedge(new Wedge(new float[Wedge.VOXELS])).index().length);
    }

    @Test
    void matchesOnTheRealWedgeWithTheAuthorsCheckpoint() {
        BcaeVs m = BcaeVs.load(SharedData.require("models/bcae-vs/model_last.pth"));
        assertSame(m, WedgeFiles.read(SharedData.require("data/tpc/auau_sample.npy")).get(0));
    }
}
