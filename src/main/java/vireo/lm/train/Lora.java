package vireo.lm.train;

import java.util.Set;

/**
 * A LoRA recipe (Hu et al. 2021, PEFT's defaults): each targeted projection y = W·x becomes
 * y = W·x + (alpha/rank)·B·A·dropout(x) with W frozen, A [rank, in] Kaiming-uniform and B [out, rank] zero, so
 * training starts from the base model exactly.
 *
 * @param targets module names as PEFT spells them (q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj for
 *                Llama); the short forms q/k/v/o/gate/up/down are accepted
 */
public record Lora(int rank, double alpha, double dropout, Set<String> targets, long seed) {
    public static final Set<String> LLAMA_MODULES = Set.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

    public Lora {
        if (rank < 1) throw new IllegalArgumentException("LoRA rank must be at least 1, got " + rank);
        if (dropout < 0 || dropout >= 1) throw new IllegalArgumentException("LoRA dropout must be in [0, 1), got " + dropout);
        targets = Set.copyOf(targets.stream().map(Lora::moduleName).toList());
    }

    public double scale() { return alpha / rank; }

    /** q → q_proj, gate → gate_proj; full names pass through. */
    static String moduleName(String t) { return t.endsWith("_proj") ? t : t + "_proj"; }
}
