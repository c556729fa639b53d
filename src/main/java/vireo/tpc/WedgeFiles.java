package vireo.tpc;

import vireo.io.InvalidFileException;

import java.io.IOException;
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

    public static List<Wedge> read(Path p) {
        StandInFormats.U16Array a = StandInFormats.readNpyU16(p);
        int[] s = a.shape();
        int n;
        if (Arrays.equals(s, new int[]{Wedge.AZIMUTH, Wedge.Z, Wedge.LAYERS})) n = 1;
        else if (s.length == 4 && s[1] == Wedge.AZIMUTH && s[2] == Wedge.Z && s[3] == Wedge.LAYERS) n = s[0];
        else throw new InvalidFileException(p, "shape " + Arrays.toString(s) + " is not a wedge (192, 249, 16) or a stack (N, 192, 249, 16)");
        List<Wedge> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
            out.add(Wedge.fromAdc(Arrays.copyOfRange(a.values(), i * Wedge.VOXELS, (i + 1) * Wedge.VOXELS)));
        return out;
    }

    /** Writes uint16 ADC (2^x − 1, rounded): one wedge as (192, 249, 16), several stacked; atomically. */
    public static void write(Path p, List<Wedge> wedges) throws IOException {
        short[] all = new short[wedges.size() * Wedge.VOXELS];
        for (int i = 0; i < wedges.size(); i++) System.arraycopy(wedges.get(i).toAdc(), 0, all, i * Wedge.VOXELS, Wedge.VOXELS);
        int[] shape = wedges.size() == 1 ? new int[]{Wedge.AZIMUTH, Wedge.Z, Wedge.LAYERS}
                : new int[]{wedges.size(), Wedge.AZIMUTH, Wedge.Z, Wedge.LAYERS};
        BcaeVsFile.writeAtomically(p, StandInFormats.npyU16Bytes(shape, all));
    }
}
