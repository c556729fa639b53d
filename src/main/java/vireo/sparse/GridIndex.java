package vireo.sparse;

import java.util.Arrays;

/**
 * The accelerated index for a fixed bounded grid (a TPC wedge: 192 × 249 × 16): one int per voxel holding the row,
 * −1 when inactive. O(1) lookups with no hashing; ≈3 MB per wedge.
 */
public final class GridIndex implements CoordinateIndex {
    private final int batches, da, dz, dl;
    private final int[] grid;

    public GridIndex(int[] coords, int n, int batches, int da, int dz, int dl) {
        this.batches = batches;
        this.da = da;
        this.dz = dz;
        this.dl = dl;
        grid = new int[Math.multiplyExact(Math.multiplyExact(batches, da), dz * dl)];
        Arrays.fill(grid, -1);
        for (int r = 0; r < n; r++) {
            int b = coords[4 * r], a = coords[4 * r + 1], z = coords[4 * r + 2], l = coords[4 * r + 3];
            if (b < 0 || b >= batches || a < 0 || a >= da || z < 0 || z >= dz || l < 0 || l >= dl)
                throw new IllegalArgumentException("coordinate of row " + r + " outside the grid");
            int i = ((b * da + a) * dz + z) * dl + l;
            if (grid[i] >= 0) throw new IllegalArgumentException("duplicate coordinate at row " + r);
            grid[i] = r;
        }
    }

    @Override
    public int find(int b, int a, int z, int l) {
        if (b < 0 || b >= batches || a < 0 || a >= da || z < 0 || z >= dz || l < 0 || l >= dl) return -1;
        return grid[((b * da + a) * dz + z) * dl + l];
    }
}
