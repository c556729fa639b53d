package vireo.tensor;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Algebraic identities of the shape ops over random shapes. */
class ShapePropertyTest {
    @Property(tries = 40, seed = "3")
    void permuteThenInverseIsIdentity(@ForAll @IntRange(min = 1, max = 4) int a, @ForAll @IntRange(min = 1, max = 4) int b,
                                      @ForAll @IntRange(min = 1, max = 4) int c, @ForAll @IntRange(min = 0, max = 5) int which) {
        int[][] perms = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
        int[] p = perms[which], inv = new int[3];
        for (int i = 0; i < 3; i++) inv[p[i]] = i;
        Tensor x = GradCheck.param(a * 16 + b * 4 + c, a, b, c);
        Tensor y = Ops.permute(x, p);
        for (int i = 0; i < 3; i++) assertEquals(x.shape[p[i]], y.shape[i]);
        assertArrayEquals(x.data, Ops.permute(y, inv).data);
    }

    @Property(tries = 40, seed = "4")
    void slicesConcatenateBackToTheWhole(@ForAll @IntRange(min = 1, max = 3) int a, @ForAll @IntRange(min = 2, max = 6) int n,
                                         @ForAll @IntRange(min = 1, max = 3) int c, @ForAll @IntRange(min = 0, max = 2) int axis,
                                         @ForAll @IntRange(min = 1, max = 5) int cutSeed) {
        int[] shape = {a, a + 1, c};
        shape[axis] = n;
        Tensor x = GradCheck.param(n * 7 + axis, shape);
        int cut = cutSeed % n;
        Tensor joined = Ops.concat(axis, Ops.slice(x, axis, 0, cut), Ops.slice(x, axis, cut, n));
        assertArrayEquals(x.shape, joined.shape);
        assertArrayEquals(x.data, joined.data);
    }

    @Property(tries = 30, seed = "5")
    void sumOverAxisAgreesWithTotal(@ForAll @IntRange(min = 1, max = 4) int a, @ForAll @IntRange(min = 1, max = 4) int b,
                                    @ForAll @IntRange(min = 1, max = 4) int c, @ForAll @IntRange(min = -3, max = 2) int axis) {
        Tensor x = GradCheck.param(a + b + c, a, b, c);
        assertEquals(Ops.sum(x).item(), Ops.sum(Ops.sum(x, axis, true)).item(), 1e-5f);
        assertEquals(Ops.mean(x).item(), Ops.mean(Ops.mean(x, axis, false)).item(), 1e-5f);
    }
}
