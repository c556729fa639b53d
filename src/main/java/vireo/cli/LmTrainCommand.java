package vireo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vireo.lm.Models;
import vireo.lm.llama.Llama;
import vireo.lm.tokenizer.Tokenizer;
import vireo.lm.train.FineTune;
import vireo.lm.train.Lora;
import vireo.lm.train.PeftAdapter;
import vireo.lm.train.TrainableLlama;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Fine-tune a Llama model (LoRA, or every weight with --lora-rank 0) on plain text or JSONL "
                + "(fields prompt/completion, loss on the completion only, or text). Writes a PEFT adapter to --out.")
public final class LmTrainCommand implements Callable<Integer> {
    @Mixin LmModelOptions modelOptions;
    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Training text (.txt: documents split at blank lines) or .jsonl.") Path data;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder: adapter_model.safetensors + adapter_config.json, checkpoint.safetensors.") Path out;
    @Option(names = "--steps", defaultValue = "200") int steps;
    @Option(names = "--batch", defaultValue = "8") int batch;
    @Option(names = "--seq-len", defaultValue = "128", description = "Packed row length for text; the longest allowed example.") int seqLen;
    @Option(names = "--lr", defaultValue = "1e-3") double lr;
    @Option(names = "--warmup", defaultValue = "10") int warmup;
    @Option(names = "--clip", defaultValue = "1.0", description = "Global gradient-norm clip (0: off).") double clip;
    @Option(names = "--weight-decay", defaultValue = "0.0") double weightDecay;
    @Option(names = "--lora-rank", defaultValue = "8", description = "LoRA rank; 0 trains every weight.") int rank;
    @Option(names = "--lora-alpha", defaultValue = "16") double alpha;
    @Option(names = "--lora-dropout", defaultValue = "0.05") double dropout;
    @Option(names = "--target", split = ",", defaultValue = "q,k,v,o,gate,up,down", description = "Adapted projections.") List<String> targets;
    @Option(names = "--eval-fraction", defaultValue = "0.1", description = "Held-out share of the examples.") double evalFraction;
    @Option(names = "--eval-every", defaultValue = "50") int evalEvery;
    @Option(names = "--checkpoint-every", defaultValue = "100") int checkpointEvery;
    @Option(names = "--resume", description = "Continue from --out/checkpoint.safetensors (step count and optimizer state).") boolean resume;
    @Option(names = "--seed", defaultValue = "0") long seed;

    @Override
    public Integer call() throws IOException {
        if (steps < 1 || batch < 1 || seqLen < 2) throw new UserError("--steps, --batch must be ≥ 1 and --seq-len ≥ 2");
        if (evalFraction < 0 || evalFraction >= 1) throw new UserError("--eval-fraction: must be in [0, 1)");
        for (String t : targets)
            if (!Lora.LLAMA_MODULES.contains(t.endsWith("_proj") ? t : t + "_proj")) throw new UserError("--target: " + t + " is not one of q,k,v,o,gate,up,down");
        if (resume && !Files.isRegularFile(out.resolve("checkpoint.safetensors"))) throw new UserError(out + ": no checkpoint.safetensors to --resume");
        try (Models.Loaded m = modelOptions.load(true)) {
            if (!(m.model() instanceof Llama llama)) throw new UserError(modelOptions.model + ": lm train supports Llama models so far");
            if (seqLen > llama.maxSeqLen()) throw new UserError("--seq-len: " + seqLen + " exceeds the model's context of " + llama.maxSeqLen());
            List<FineTune.Example> all = examples(m.tokenizer(), llama.vocabSize());
            Collections.shuffle(all, new Random(seed));
            int nEval = (int) Math.round(all.size() * evalFraction);
            List<FineTune.Example> held = all.subList(0, nEval), train = all.subList(nEval, all.size());
            if (train.isEmpty()) throw new UserError(data + ": no training examples left after the held-out split");
            Lora lora = rank == 0 ? null : new Lora(rank, alpha, dropout, Set.copyOf(targets), seed);
            TrainableLlama model = new TrainableLlama(llama, lora);
            FineTune ft = new FineTune(model, new FineTune.Settings(steps, batch, lr, warmup, clip, weightDecay, seed));
            Path ck = out.resolve("checkpoint.safetensors");
            if (resume) ft.resume(ck);
            Files.createDirectories(out);
            if (!held.isEmpty()) System.err.printf("held-out loss before: %.4f (%d examples)%n", ft.evaluate(held), held.size());
            long t0 = System.nanoTime(), tokens = 0;
            try (ProgressBar bar = Progress.bar("train", steps)) {
                bar.stepTo(ft.stepsDone());
                while (ft.stepsDone() < steps) {
                    List<FineTune.Example> b = ft.nextBatch(train);
                    double loss = ft.step(b);
                    for (FineTune.Example e : b) tokens += e.tokens().length;
                    bar.stepTo(ft.stepsDone());
                    bar.setExtraMessage(String.format("loss %.4f, %.0f tok/s", loss, tokens / ((System.nanoTime() - t0) / 1e9)));
                    if (!held.isEmpty() && ft.stepsDone() % evalEvery == 0 && ft.stepsDone() < steps)
                        System.err.printf("%nstep %d held-out loss %.4f%n", ft.stepsDone(), ft.evaluate(held));
                    if (ft.stepsDone() % checkpointEvery == 0) ft.checkpoint(ck);
                }
            }
            ft.checkpoint(ck);
            if (!held.isEmpty()) System.err.printf("held-out loss after: %.4f%n", ft.evaluate(held));
            if (lora != null) model.adapter().write(out, modelOptions.model.toAbsolutePath().toString());
            System.out.println(out + (lora != null ? ": adapter written" : ": full fine-tune in checkpoint.safetensors (HF tensor names)"));
        }
        return 0;
    }

    private List<FineTune.Example> examples(Tokenizer tok, int vocab) throws IOException {
        if (!Files.isRegularFile(data)) throw new UserError(data + ": no such file");
        List<FineTune.Example> out = new ArrayList<>();
        List<int[]> docs = new ArrayList<>();
        if (data.toString().endsWith(".jsonl")) {
            ObjectMapper json = new ObjectMapper();
            int lineNo = 0;
            for (String line : Files.readAllLines(data)) {
                lineNo++;
                if (line.isBlank()) continue;
                JsonNode n;
                try {
                    n = json.readTree(line);
                } catch (IOException e) {
                    throw new UserError(data + ": line " + lineNo + " is not JSON");
                }
                if (n.has("prompt") && n.has("completion")) {
                    int[] p = tok.encode(n.get("prompt").asText(), true), c = tok.encode(n.get("completion").asText(), false);
                    if (c.length == 0) throw new UserError(data + ": line " + lineNo + " has an empty completion");
                    FineTune.Example e = FineTune.Example.completion(p, c);
                    if (e.tokens().length > seqLen) throw new UserError(data + ": line " + lineNo + " is " + e.tokens().length + " tokens, longer than --seq-len " + seqLen);
                    out.add(e);
                } else if (n.has("text")) docs.add(tok.encode(n.get("text").asText(), true));
                else throw new UserError(data + ": line " + lineNo + " has neither prompt/completion nor text");
            }
        } else {
            for (String doc : Files.readString(data).split("\\n\\s*\\n")) if (!doc.isBlank()) docs.add(tok.encode(doc.strip(), true));
        }
        out.addAll(FineTune.pack(docs, seqLen));
        if (out.isEmpty()) throw new UserError(data + ": no examples (text shorter than one packed row of --seq-len " + seqLen + "?)");
        for (FineTune.Example e : out) for (int t : e.tokens()) if (t >= vocab) throw new UserError(data + ": token " + t + " outside the vocabulary");
        return out;
    }
}
