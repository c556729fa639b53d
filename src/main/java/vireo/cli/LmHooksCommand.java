package vireo.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vireo.lm.LanguageModel;
import vireo.lm.Models;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vireo lm hooks}: every hook point the model publishes, with the length of the vector a hook sees. */
@Command(name = "hooks", mixinStandardHelpOptions = true,
        description = "List every hook point the model publishes with its shape (residual points [d_model]; state parts their length).")
public final class LmHooksCommand implements Callable<Integer> {
    @Mixin LmModelOptions modelOptions;

    @Option(names = "--json", description = "Print a JSON object {name: [length]} instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (Models.Loaded m = modelOptions.load(false)) {
            LanguageModel lm = m.model();
            LanguageModel.State s = lm.newState();
            Map<String, int[]> shapes = new LinkedHashMap<>();
            for (String p : lm.hookPoints())
                shapes.put(p, new int[]{s.parts().contains(p) ? s.part(p).length : lm.dModel()});
            if (json) System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(shapes));
            else shapes.forEach((k, v) -> System.out.printf("%-32s [%d]%n", k, v[0]));
        }
        return 0;
    }
}
