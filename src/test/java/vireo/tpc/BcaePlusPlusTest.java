package vireo.tpc;

import org.junit.jupiter.api.Test;
import vireo.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.*;

class BcaePlusPlusTest {
    @Test
    void codeIs8x16x12x16AndRatioIs31_125() {
        BcaePlusPlus m = new BcaePlusPlus(1);
        Wedge w = new Simulator().simulateTracks(30, 1).wedge();
        Tensor code = Tensor.noGrad(() -> m.encode(BcaePlusPlus.input(w)));
        assertArrayEquals(new int[]{1, 8, 16, 12, 16}, code.shape);
        assertEquals(31.125, BcaePlusPlus.compressionRatio(), 0);
        byte[] bytes = m.encode(w);
        assertEquals(24_576 * 2, bytes.length);
        Tensor[] heads = Tensor.noGrad(() -> m.decodeHeads(code));
        assertArrayEquals(new int[]{1, 1, 16, 192, 256}, heads[0].shape);
        for (float v : heads[0].data) assertTrue(v > 6f, "regression transform keeps values above 6");
        assertEquals(Wedge.VOXELS, m.decode(bytes).log().length);
    }
}
