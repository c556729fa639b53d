package vireo.tpc;

import vireo.io.InvalidFileException;
import vireo.io.Npy;
import vireo.tensor.DType;
import vireo.tensor.TensorView;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Wedges in .npy files as the authors store them: uint16 raw ADC of shape (192, 249, 16), or stacked
 * (N, 192, 249, 16).
 */
public final class WedgeFiles {
    private WedgeFiles() {}

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public static List<Wedge> read(Path p) {
        TensorView v = Npy.read(p);
        if (v.dtype() != DType.U16) throw new InvalidFileException(p, "expected uint16 ADC values, found " + v.dtype());
        int[] s = v.shape();
        int n;
        if (Arrays.equals(s, new int[]{Wedge.AZIMUTH, Wedge.Z, Wedge.LAYERS})) n = 1;
        else if (s.length == 4 && s[1] == Wedge.AZIMUTH && s[2] == Wedge.Z && s[3] == Wedge.LAYERS) n = s[0];
        else throw new InvalidFileException(p, "shape " + Arrays.toString(s) + " is not a wedge (192, 249, 16) or a stack (N, 192, 249, 16)");
        List<Wedge> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            short[] adc = new short[Wedge.VOXELS];
            MemorySegment.copy(v.segment(), U16, 2L * i * Wedge.VOXELS, adc, 0, Wedge.VOXELS);
            out.add(Wedge.fromAdc(adc));
        }
        return out;
    }

    /** The raw ADC counts of a single-wedge file (uint16, (192, 249, 16)). */
    public static short[] readAdc(Path p) {
        TensorView v = Npy.read(p);
        if (v.dtype() != DType.U16) throw new InvalidFileException(p, "expected uint16 ADC values, found " + v.dtype());
        if (!Arrays.equals(v.shape(), new int[]{Wedge.AZIMUTH, Wedge.Z, Wedge.LAYERS}))
            throw new InvalidFileException(p, "expected a wedge of shape (192, 249, 16), got " + Arrays.toString(v.shape()));
        short[] adc = new short[Wedge.VOXELS];
        MemorySegment.copy(v.segment(), U16, 0, adc, 0, Wedge.VOXELS);
        return adc;
    }

    /** Writes raw ADC counts as uint16 (192, 249, 16), atomically. */
    public static void writeAdc(Path p, short[] adc) {
        if (adc.length != Wedge.VOXELS) throw new IllegalArgumentException("a wedge has " + Wedge.VOXELS + " voxels");
        MemorySegment seg = MemorySegment.ofArray(new byte[2 * Wedge.VOXELS]);
        MemorySegment.copy(adc, 0, seg, U16, 0, Wedge.VOXELS);
        Npy.write(p, new TensorView(DType.U16, new int[]{Wedge.AZIMUTH, Wedge.Z, Wedge.LAYERS}, seg));
    }

    /** Writes uint16 ADC (2^x − 1, rounded): one wedge as (192, 249, 16), several stacked; atomically. */
    public static void write(Path p, List<Wedge> wedges) {
        MemorySegment seg = MemorySegment.ofArray(new byte[2 * wedges.size() * Wedge.VOXELS]);
        for (int i = 0; i < wedges.size(); i++)
            MemorySegment.copy(wedges.get(i).toAdc(), 0, seg, U16, 2L * i * Wedge.VOXELS, Wedge.VOXELS);
        int[] shape = wedges.size() == 1 ? new int[]{Wedge.AZIMUTH, Wedge.Z, Wedge.LAYERS}
                : new int[]{wedges.size(), Wedge.AZIMUTH, Wedge.Z, Wedge.LAYERS};
        Npy.write(p, new TensorView(DType.U16, shape, seg));
    }
}
