package vireo.tpc;

/**
 * The BCAE-VS code of one wedge: the kept voxels' flat indices (C order over 192 × 249 × 16, strictly increasing)
 * and their code values as IEEE float16 bits ({@link Float#floatToFloat16}, round half to even like torch .half()).
 */
public record KeptVoxels(int[] index, short[] value) {
    public KeptVoxels {
        if (index.length != value.length) throw new IllegalArgumentException("index and value counts differ");
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= Wedge.VOXELS) throw new IllegalArgumentException("voxel index out of range: " + index[i]);
            if (i > 0 && index[i] <= index[i - 1]) throw new IllegalArgumentException("voxel indices must increase");
        }
    }

    public int size() { return index.length; }

    /** The decoder input: a dense wedge-shaped volume, float16 code at kept voxels, 0 elsewhere. */
    public float[] toDenseVolume() {
        float[] v = new float[Wedge.VOXELS];
        for (int i = 0; i < index.length; i++) v[index[i]] = Float.float16ToFloat(value[i]);
        return v;
    }
}
