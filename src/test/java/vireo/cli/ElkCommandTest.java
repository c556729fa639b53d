package vireo.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vireo.io.Npy;
import vireo.tensor.TensorView;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class ElkCommandTest {
    static String capture(Runnable r) {
        PrintStream old = System.out;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        System.setOut(new PrintStream(b));
        try { r.run(); } finally { System.setOut(old); }
        return b.toString();
    }

    @Test
    void probeOnPlainArraysPrintsJsonAndRejectsBadLabels(@TempDir Path d) throws Exception {
        float[] x = new float[40 * 2];
        float[] y = new float[40];
        for (int i = 0; i < 40; i++) { y[i] = i % 2; x[2 * i] = y[i] * 3 + (i % 5) * 0.1f; x[2 * i + 1] = i % 3; }
        Npy.write(d.resolve("x.npy"), TensorView.ofFloats(x, 40, 2));
        Npy.write(d.resolve("y.npy"), TensorView.ofFloats(y, 40));
        String[] base = {"elk", "probe", "--method", "mean-diff", "--train", d + "/x.npy", "--train-labels", d + "/y.npy",
                "--test", d + "/x.npy", "--test-labels", d + "/y.npy", "--json"};
        int[] rc = new int[1];
        String out = capture(() -> rc[0] = Main.run(base));
        assertEquals(0, rc[0]);
        assertEquals("{\"method\":\"mean-diff\",\"auroc\":1.0,\"accuracy\":", out.substring(0, out.indexOf("accuracy") + 10));
        y[3] = 2;
        Npy.write(d.resolve("y.npy"), TensorView.ofFloats(y, 40));
        assertEquals(2, Main.run(base));
        assertEquals(2, Main.run("elk", "dataset", "--task", "division", "-o", d + "/o.jsonl"));
        assertFalse(Files.exists(d.resolve("o.jsonl")));
        assertEquals(0, Main.run("elk", "dataset", "--max-digits", "2", "--base-examples", "40", "-o", d + "/o.jsonl"));
        assertEquals(80, Files.readAllLines(d.resolve("o.jsonl")).size());
    }
}
