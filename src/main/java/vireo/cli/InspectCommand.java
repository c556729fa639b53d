package vireo.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import vireo.io.Inventory;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

/** {@code vireo inspect FILE}: the tensors in any supported file, format found from its first bytes. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "List the tensors (name, dtype, shape) and totals of a safetensors file, sharded safetensors "
                + "index or folder, PyTorch .pt/.pth checkpoint, .npy array, llama2.c or rwkv.cpp model.")
public final class InspectCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "Tensor file, sharded index json, or model folder.")
    Path file;

    @Option(names = "--json", description = "Print the listing as JSON.")
    boolean json;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Inventory inv = inventory(file);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(JsonOutput.mapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(inv));
        } else {
            print(inv, out);
        }
        out.flush();
        return 0;
    }

    /** Tensor formats from vireo.io, then the model formats the language-model packages read. */
    static Inventory inventory(Path file) {
        if (java.nio.file.Files.isRegularFile(file) && vireo.lm.llama.Llama2cFile.looksLike(file)) {
            try (var f = vireo.lm.llama.Llama2cFile.open(file)) {
                return Inventory.of(f);
            }
        }
        if (java.nio.file.Files.isRegularFile(file) && vireo.lm.rwkv.RwkvCpp.looksLike(file)) {
            try (var f = vireo.lm.rwkv.RwkvCpp.read(file)) {
                return Inventory.of(f);
            }
        }
        return Inventory.of(file);
    }

    static void print(Inventory inv, PrintWriter out) {
        int nameW = "name".length(), dtypeW = "dtype".length();
        for (var t : inv.tensors()) {
            nameW = Math.max(nameW, t.name().length());
            dtypeW = Math.max(dtypeW, t.dtype().length());
        }
        String row = "%-" + nameW + "s  %-" + dtypeW + "s  %s%n";
        out.printf(row, "name", "dtype", "shape");
        for (var t : inv.tensors()) out.printf(row, t.name(), t.dtype(), Arrays.toString(t.shape()));
        out.printf("%s (%s): %d tensors, %,d parameters, %,d bytes (%s)%n", inv.file(), inv.format(), inv.tensors().size(),
                inv.parameters(), inv.bytes(), human(inv.bytes()));
        if (!inv.metadata().isEmpty()) {
            out.println("metadata:");
            inv.metadata().forEach((k, v) -> out.printf("  %s = %s%n", k, v.length() > 200 ? v.substring(0, 197) + "..." : v));
        }
    }

    static String human(long bytes) {
        if (bytes < 1024) return bytes + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
        return String.format("%.1f %s", v, units[u]);
    }
}
