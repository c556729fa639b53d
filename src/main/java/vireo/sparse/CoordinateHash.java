package vireo.sparse;

import java.util.Arrays;

/**
 * Open-addressing hash (linear probing, power-of-two table, load ≤ 0.5) from a packed coordinate (batch, a, z, l)
 * to its row — MinkowskiEngine's "unordered map whose key is a non-zero index and the value its row", for grids
 * of any size. Each axis must fit in 16 signed bits.
 */
public final class CoordinateHash implements CoordinateIndex {
    private static final long EMPTY = Long.MIN_VALUE;
    private final long[] keys;
    private final int[] rows;
    private final int mask;

    public CoordinateHash(int[] coords, int n) {
        int cap = Integer.highestOneBit(Math.max(4, n * 2 - 1)) << 1;
        keys = new long[cap];
        rows = new int[cap];
        mask = cap - 1;
        Arrays.fill(keys, EMPTY);
        for (int r = 0; r < n; r++) {
            long key = pack(coords[4 * r], coords[4 * r + 1], coords[4 * r + 2], coords[4 * r + 3]);
            int s = slot(key);
            while (keys[s] != EMPTY) {
                if (keys[s] == key) throw new IllegalArgumentException("duplicate coordinate at row " + r);
                s = (s + 1) & mask;
            }
            keys[s] = key;
            rows[s] = r;
        }
    }

    static long pack(int b, int a, int z, int l) {
        return ((long) (b & 0xffff) << 48) | ((long) (a & 0xffff) << 32) | ((long) (z & 0xffff) << 16) | (l & 0xffff);
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L; // Fibonacci hashing spreads the packed axes over the table
        return (int) (h >>> 32) & mask;
    }

    @Override
    public int find(int b, int a, int z, int l) {
        if (((a | z | l | b) & ~0x7fff) != 0) return -1; // negative or out of 15-bit range: cannot be a stored site
        long key = pack(b, a, z, l);
        for (int s = slot(key); ; s = (s + 1) & mask) {
            long k = keys[s];
            if (k == key) return rows[s];
            if (k == EMPTY) return -1;
        }
    }
}
