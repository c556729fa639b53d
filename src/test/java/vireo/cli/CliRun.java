package vireo.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

/** Runs the CLI in-process and captures its exit code, standard output and standard error. */
record CliRun(int code, String out, String err) {
    static CliRun run(String... args) {
        PrintStream o = System.out, e = System.err;
        ByteArrayOutputStream bo = new ByteArrayOutputStream(), be = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bo, true));
        System.setErr(new PrintStream(be, true));
        try {
            return new CliRun(Main.run(args), bo.toString(), be.toString());
        } finally {
            System.setOut(o);
            System.setErr(e);
        }
    }
}
