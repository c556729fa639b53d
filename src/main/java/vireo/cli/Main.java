package vireo.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import vireo.io.InvalidFileException;

import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;

/** Entry point of the {@code vireo} command. Subcommands are thin: parse, call the library, print. */
@Command(name = "vireo", mixinStandardHelpOptions = true, version = "vireo 0.1.0",
        description = "Learned representations in science and in language models: BCAE-VS compression of TPC data, "
                + "and reading and steering language models from the inside.",
        subcommands = {
                DemoCommand.class,
                LmCommand.class,
                InspectCommand.class,
                TpcCommand.class,
                SteerCommand.class,
                LensCommand.class,
                BenchCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class Main implements Runnable {

    @Override
    public void run() { CommandLine.usage(this, System.out); }

    public static void main(String[] args) { System.exit(run(args)); }

    /** Runs the CLI and returns the exit code (tests call this). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("vireo: " + userMessage(ex));
            if (System.getenv("VIREO_DEBUG") != null) ex.printStackTrace(cmd.getErr());
            return isUserError(ex) ? 2 : 1;
        });
        return cl.execute(args);
    }

    static boolean isUserError(Throwable ex) {
        return ex instanceof InvalidFileException || ex instanceof UserError || ex instanceof UncheckedIOException
                || ex instanceof java.io.IOException;
    }

    static String userMessage(Throwable ex) {
        Throwable t = ex instanceof UncheckedIOException u ? u.getCause() : ex;
        if (t instanceof NoSuchFileException n) return n.getFile() + ": no such file";
        if (t instanceof java.nio.file.AccessDeniedException a) return a.getFile() + ": permission denied";
        String m = t.getMessage();
        if (m == null || m.isBlank()) m = t.getClass().getSimpleName();
        return m.lines().findFirst().orElse(m);
    }
}
