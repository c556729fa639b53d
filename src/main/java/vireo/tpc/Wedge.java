package vireo.tpc;

/**
 * One outer-layer TPC wedge: 192 azimuth × 249 z (time) × 16 layers, C order (azimuth slowest, layer fastest),
 * holding log2(ADC + 1) as float32 — the domain BCAE-VS and its predecessors work in. Zero means no signal.
 */
public record Wedge(float[] log) {
    public static final int AZIMUTH = 192, Z = 249, LAYERS = 16;
    public static final int VOXELS = AZIMUTH * Z * LAYERS; // 764,928

    public Wedge {
        if (log.length != VOXELS) throw new IllegalArgumentException("a wedge has " + VOXELS + " voxels, got " + log.length);
    }

    /** Flat index of voxel (a, z, l). */
    public static int index(int a, int z, int l) { return (a * Z + z) * LAYERS + l; }

    /** From raw 10-bit ADC counts (uint16 as stored in the authors' .npy files). */
    public static Wedge fromAdc(short[] adc) {
        if (adc.length != VOXELS) throw new IllegalArgumentException("a wedge has " + VOXELS + " voxels, got " + adc.length);
        float[] v = new float[VOXELS];
        for (int i = 0; i < VOXELS; i++) {
            int a = adc[i] & 0xffff;
            v[i] = a == 0 ? 0f : (float) (Math.log(a + 1.0) / Math.log(2.0));
        }
        return new Wedge(v);
    }

    /** Back to ADC counts: round(2^x − 1), clamped to the 10-bit range; 0 stays 0. */
    public short[] toAdc() {
        short[] out = new short[VOXELS];
        for (int i = 0; i < VOXELS; i++) {
            float x = log[i];
            if (x <= 0f) continue;
            long a = Math.round(Math.pow(2.0, x) - 1.0);
            out[i] = (short) Math.max(0, Math.min(1023, a));
        }
        return out;
    }

    /** Number of nonzero voxels. */
    public int nonzero() {
        int n = 0;
        for (float x : log) if (x != 0f) n++;
        return n;
    }

    /** Fraction of voxels that carry signal. */
    public double occupancy() { return nonzero() / (double) VOXELS; }
}
