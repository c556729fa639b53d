package vireo.sparse;

import vireo.tensor.Tensor;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A sparse 3-D tensor: n active sites with integer coordinates (batch, a, z, l) and float features [n, C] (a
 * {@link Tensor}, so autograd flows through the features). Tensors derived with {@link #withFeatures} share the
 * coordinates, the index and the kernel-map cache, which is what makes submanifold layers cheap after the first.
 */
public final class SparseTensor {
    /** Row r's coordinate is coords[4r .. 4r+3] = (batch, a, z, l). */
    public final int[] coords;
    public final int n;
    public final Tensor features;
    private final CoordinateIndex index;
    private final ConcurrentHashMap<Integer, KernelMap> maps;

    private SparseTensor(int[] coords, int n, Tensor features, CoordinateIndex index, ConcurrentHashMap<Integer, KernelMap> maps) {
        if (features.rank() != 2 || features.dim(0) != n)
            throw new IllegalArgumentException("features must be [" + n + ", C], got " + java.util.Arrays.toString(features.shape));
        this.coords = coords;
        this.n = n;
        this.features = features;
        this.index = index;
        this.maps = maps;
    }

    /** Sites on an unbounded lattice, indexed by an open-addressing hash. */
    public static SparseTensor of(int[] coords, Tensor features) {
        int n = features.dim(0);
        return new SparseTensor(coords, n, features, new CoordinateHash(coords, n), new ConcurrentHashMap<>());
    }

    /** Sites inside a fixed grid [batches, da, dz, dl], indexed by a dense int grid (the fast path for wedges). */
    public static SparseTensor onGrid(int[] coords, Tensor features, int batches, int da, int dz, int dl) {
        int n = features.dim(0);
        return new SparseTensor(coords, n, features, new GridIndex(coords, n, batches, da, dz, dl), new ConcurrentHashMap<>());
    }

    /**
     * The nonzero voxels of dense one-channel volumes [batches][da·dz·dl] (C order, last axis fastest) as a sparse
     * tensor on their grid — torch's {@code to_sparse_coo()} order (row-major over (b, a, z, l)).
     */
    public static SparseTensor fromDense(float[][] volumes, int da, int dz, int dl) {
        int n = 0;
        for (float[] v : volumes) for (float x : v) if (x != 0f) n++;
        int[] coords = new int[4 * n];
        float[] f = new float[n];
        int r = 0;
        for (int b = 0; b < volumes.length; b++) {
            float[] v = volumes[b];
            for (int i = 0; i < v.length; i++) {
                if (v[i] == 0f) continue;
                coords[4 * r] = b;
                coords[4 * r + 1] = i / (dz * dl);
                coords[4 * r + 2] = i / dl % dz;
                coords[4 * r + 3] = i % dl;
                f[r++] = v[i];
            }
        }
        return onGrid(coords, Tensor.of(f, n, 1), volumes.length, da, dz, dl);
    }

    public int channels() { return features.dim(1); }

    /** Same sites, new features (e.g. a layer's output); shares index and kernel maps. */
    public SparseTensor withFeatures(Tensor f) { return new SparseTensor(coords, n, f, index, maps); }

    public CoordinateIndex index() { return index; }

    /** The 3×3×3 kernel map at this dilation, built on first use and cached for all tensors on these sites. */
    public KernelMap kernelMap(int dilation) {
        return maps.computeIfAbsent(dilation, d -> KernelMap.build(coords, n, index, d));
    }

    /** Linear index (a·dz + z)·dl + l of row r within its batch item. */
    public int linearIndex(int r, int dz, int dl) {
        return (coords[4 * r + 1] * dz + coords[4 * r + 2]) * dl + coords[4 * r + 3];
    }
}
