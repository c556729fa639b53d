package vireo.tpc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vireo.io.InvalidFileException;
import vireo.io.SafeTensors;
import vireo.tensor.Ops;
import vireo.tensor.Tensor;
import vireo.tensor.TensorView;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class BcaePlusPlusCheckpointTest {
    /** A random 16×16×16 crop, about 20 % occupied, as [1,1,16,16,16] log2(ADC+1) values. */
    private static Tensor tinyCrop(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor x = Tensor.zeros(1, 1, 16, 16, 16);
        for (int i = 0; i < x.data.length; i++) if (r.nextDouble() < 0.2) x.data[i] = (float) (6 + 4 * r.nextDouble());
        return x;
    }

    private static double objective(BcaePlusPlus m, Tensor x) {
        Tensor[] h = m.decodeHeads(m.encode(x));
        return Ops.add(Ops.mean(h[0]), Ops.mean(h[1])).item();
    }

    /** Autograd against central finite differences (in double, around float32 forward passes) for a few parameters. */
    @Test
    void gradientsMatchFiniteDifferencesOnATinyCrop() {
        BcaePlusPlus m = new BcaePlusPlus(3);
        for (Tensor p : m.namedParameters().values()) { p.data[0] += 0.3f; p.requiresGrad(true); }
        Tensor x = tinyCrop(5);
        Tensor[] h = m.decodeHeads(m.encode(x));
        Ops.add(Ops.mean(h[0]), Ops.mean(h[1])).backward();
        int checked = 0;
        for (String name : new String[]{"encoder.blocks.0.rezero_alpha", "encoder.blocks.2.side.bias", "encoder.out.bias",
                "decoder.reg.1.bias", "decoder.clf.out.bias"}) {
            Tensor p = m.namedParameters().get(name);
            double analytic = p.grad[0];
            float keep = p.data[0], eps = 0.05f;
            p.data[0] = keep + eps;
            double up = Tensor.noGrad(() -> Tensor.of(new float[]{(float) objective(m, x)}, 1)).item();
            p.data[0] = keep - eps;
            double down = Tensor.noGrad(() -> Tensor.of(new float[]{(float) objective(m, x)}, 1)).item();
            p.data[0] = keep;
            double numeric = (up - down) / (2 * eps);
            assertEquals(numeric, analytic, 0.05 * Math.abs(numeric) + 1e-4, name);
            checked++;
        }
        assertEquals(5, checked);
    }

    @Test
    void saveLoadRoundTripsEveryParameterAndTheCodec(@TempDir Path dir) {
        BcaePlusPlus m = new BcaePlusPlus(7);
        Path f = dir.resolve("dense.safetensors");
        m.save(f, Map.of("steps", "0"));
        BcaePlusPlus back = BcaePlusPlus.load(f);
        for (var e : m.namedParameters().entrySet())
            assertArrayEquals(e.getValue().data, back.namedParameters().get(e.getKey()).data, 0f, e.getKey());
        Wedge w = new Simulator().simulateTracks(20, 2).wedge();
        byte[] code = m.encode(w);
        assertArrayEquals(code, back.encode(w), "same weights give the same float16 code");
        // The code is float16 of the float32 encoder output: each value within half a float16 ulp.
        Tensor exact = Tensor.noGrad(() -> m.encode(BcaePlusPlus.input(w)));
        var buf = java.nio.ByteBuffer.wrap(code).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float v : exact.data) {
            float h = Float.float16ToFloat(buf.getShort());
            assertEquals(v, h, Math.abs(v) * 0x1p-11f + 0x1p-25f); // half a float16 ulp (relative 2^-11), subnormal floor
        }
        // Head outputs agree to float rounding (a voxel right at clf = 0.5 may flip, so compare the heads, not the mask).
        Tensor c = Tensor.of(exact.data.clone(), exact.shape);
        Tensor[] a = Tensor.noGrad(() -> m.decodeHeads(c)), b = Tensor.noGrad(() -> back.decodeHeads(c));
        assertArrayEquals(a[0].data, b[0].data, 1e-3f);
        assertArrayEquals(a[1].data, b[1].data, 1e-5f);
        assertEquals(Wedge.VOXELS, back.decode(code).log().length);
        assertEquals(31.125, 2.0 * Wedge.VOXELS / code.length, 0);
    }

    @Test
    void badCheckpointsAreOneLineErrors(@TempDir Path dir) throws Exception {
        Path junk = dir.resolve("junk.safetensors");
        Files.write(junk, new byte[]{1, 2, 3});
        InvalidFileException e1 = assertThrows(InvalidFileException.class, () -> BcaePlusPlus.load(junk));
        assertFalse(e1.getMessage().contains("\n"));
        assertTrue(e1.getMessage().contains("junk.safetensors"));

        Path other = dir.resolve("other.safetensors");
        SafeTensors.write(other, Map.of("w", TensorView.ofFloats(new float[]{1}, 1)), Map.of());
        InvalidFileException e2 = assertThrows(InvalidFileException.class, () -> BcaePlusPlus.load(other));
        assertTrue(e2.getMessage().contains("no tensor encoder.blocks.0.main.0.weight"), e2.getMessage());

        Map<String, TensorView> t = new LinkedHashMap<>();
        for (var e : new BcaePlusPlus(1).namedParameters().entrySet())
            t.put(e.getKey(), TensorView.ofFloats(e.getValue().data, e.getValue().shape));
        t.put("encoder.out.bias", TensorView.ofFloats(new float[3], 3));
        Path shape = dir.resolve("shape.safetensors");
        SafeTensors.write(shape, t, Map.of());
        InvalidFileException e3 = assertThrows(InvalidFileException.class, () -> BcaePlusPlus.load(shape));
        assertTrue(e3.getMessage().contains("encoder.out.bias has shape [3]"), e3.getMessage());
    }
}
