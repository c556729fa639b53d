package vireo.tpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import vireo.sparse.SparseTensor;
import vireo.tensor.Tensor;

import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The sparse encoder against an independent dense PyTorch implementation (tools/fixtures/bcae_vs_reference.py:
 * conv3d with MinkowskiEngine-ordered weights, masked to the active sites) on a random crop with random weights.
 */
class BcaeVsEncoderReferenceTest {
    @Test
    void encoderMatchesDenseTorchReference() throws Exception {
        JsonNode d;
        try (InputStream in = getClass().getResourceAsStream("/tpc/encoder_dense_reference.json")) {
            d = new ObjectMapper().readTree(in);
        }
        int da = d.get("shape").get(0).asInt(), dz = d.get("shape").get(1).asInt(), dl = d.get("shape").get(2).asInt();
        float[] x = floats(d.get("x"));
        BcaeVs m = BcaeVs.initialize(1);
        int[][] shapes = {{27, 1, 2}, {27, 2, 2}, {27, 2, 2}, {27, 2, 2}, {2, 2}};
        for (int i = 0; i < 5; i++) m.encoder[i] = Tensor.of(floats(d.get("kernels").get(i)), shapes[i]);
        SparseTensor s = SparseTensor.fromDense(new float[][]{x}, da, dz, dl);
        SparseTensor y = m.encode(s);
        float[] prob = floats(d.get("prob")), regr = floats(d.get("regr"));
        int nontrivial = 0;
        for (int r = 0; r < s.n; r++) {
            int i = s.linearIndex(r, dz, dl);
            assertEquals(prob[i], y.features.data[2 * r], 1e-5, "prob at " + i);
            assertEquals(regr[i], y.features.data[2 * r + 1], 1e-5, "regr at " + i);
            if (Math.abs(prob[i] - 0.5f) > 1e-3) nontrivial++;
        }
        assertEquals(121, s.n);
        org.junit.jupiter.api.Assertions.assertTrue(nontrivial > 60, "fixture exercises the convolutions");
    }

    static float[] floats(JsonNode a) {
        float[] f = new float[a.size()];
        for (int i = 0; i < f.length; i++) f[i] = (float) a.get(i).asDouble();
        return f;
    }
}
