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
                ElkCommand.class,
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
        CommandLine.IExecutionStrategy runLast = new CommandLine.RunLast();
        cl.setExecutionStrategy(parsed -> {
            checkOutputs(parsed);
            return runLast.execute(parsed);
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (isUserError(ex)) {
                cmd.getErr().println("vireo: " + userMessage(ex));
                if (System.getenv("VIREO_DEBUG") != null) ex.printStackTrace(cmd.getErr());
                return 2;
            }
            // not the user's mistake: say so, in one line, and tell where the stack trace is
            cmd.getErr().println("vireo: internal error (a Vireo bug, please report it): " + ex.getClass().getName()
                    + ": " + userMessage(ex) + (System.getenv("VIREO_DEBUG") != null ? ""
                    : " — run again with VIREO_DEBUG=1 for the stack trace"));
            if (System.getenv("VIREO_DEBUG") != null) ex.printStackTrace(cmd.getErr());
            return 1;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            // one line, as for every other user mistake; the usage is one --help away
            var c = ex.getCommandLine();
            c.getErr().println("vireo: " + oneLine(ex.getMessage())
                    + " (see '" + c.getCommandSpec().qualifiedName() + " --help')");
            return 2;
        });
        return cl.execute(args);
    }

    /** Parse messages may quote user text with newlines; keep the error on one line. */
    private static String oneLine(String m) { return m == null ? "bad arguments" : m.replace("\r", "").replace("\n", " "); }

    /**
     * Before any work: every output file option ({@code -o/--output}, {@code --plot}, {@code --json}...) must name
     * a writable target, so a long run never ends in "cannot write".
     */
    static void checkOutputs(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            for (CommandLine.Model.OptionSpec o : p.matchedOptions()) {
                if (o.type() != java.nio.file.Path.class || !isOutputOption(o)) continue;
                Object v = o.getValue();
                if (v instanceof java.nio.file.Path path) {
                    try {
                        vireo.io.OutputFile.check(path);
                    } catch (InvalidFileException e) {
                        throw new CommandLine.ParameterException(p.commandSpec().commandLine(), e.getMessage());
                    }
                }
            }
        }
    }

    private static boolean isOutputOption(CommandLine.Model.OptionSpec o) {
        // a folder output (paramLabel DIR, ADAPTER_DIR ...) is written file by file inside it; an existing folder
        // there is expected (lm train --resume, a re-run), so only file targets are checked here
        if (o.paramLabel().endsWith("DIR")) return false;
        for (String n : o.names()) {
            if (n.equals("-o") && !o.longestName().endsWith("-dir")) return true;
            if (n.equals("--output") || n.equals("--plot") || n.equals("--out") || n.equals("--json")
                    || n.equals("--report") || n.endsWith("-out") || n.endsWith("-output")) return true;
        }
        return false;
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
