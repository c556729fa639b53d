package vireo.sparse;

/** Finds the row of an active site (batch, a, z, l), or −1 when the site is not active (or outside the grid). */
public interface CoordinateIndex {
    int find(int b, int a, int z, int l);
}
