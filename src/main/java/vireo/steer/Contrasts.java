package vireo.steer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Builds tokenized {@link ContrastSet}s from the data sets, a prompt template and the model's tokenizer. */
public final class Contrasts {
    private Contrasts() {}

    /**
     * CAA: positive = template(q) + matching letter, negative = template(q) + the other letter, read at the letter
     * (rnngineering's vectors). Pairs share their prompt prefix, which is run once.
     */
    public static ContrastSet caa(String name, List<SteeringData.AbItem> items, PromptTemplate t, TextCodec codec) {
        List<int[]> pos = new ArrayList<>(), neg = new ArrayList<>();
        for (SteeringData.AbItem it : items) {
            String p = t.apply(it.question());
            pos.add(codec.encode(p + it.matchingLetter()));
            neg.add(codec.encode(p + it.otherLetter()));
        }
        return new ContrastSet(name, PositionRule.ANSWER_LETTER, pos, neg);
    }

    /**
     * ACE "prompts": harmful prompts (positive) vs harmless (negative), read at the last token of the prompt as the
     * model sees it before answering: the template's A/B "(" and trailing spaces are dropped, so with a chat
     * template this is the end of the assistant header, as in steering-llama3.
     */
    public static ContrastSet acePrompts(List<SteeringData.AceRow> rows, PromptTemplate t, TextCodec codec) {
        List<int[]> pos = new ArrayList<>(), neg = new ArrayList<>();
        for (SteeringData.AceRow r : rows) {
            String p = t.apply(r.prompt());
            if (p.endsWith("(")) p = p.substring(0, p.length() - 1);
            while (p.endsWith(" ")) p = p.substring(0, p.length() - 1);
            (r.harmful() ? pos : neg).add(codec.encode(p));
        }
        return new ContrastSet("ace", PositionRule.LAST_PROMPT_TOKEN, pos, neg);
    }

    /**
     * ACE "caa": every prompt with its refusal reply (positive) and its non-refusal reply (negative), read at the
     * reply's last token. The template's trailing "(" (an A/B device) is dropped before the reply.
     */
    public static ContrastSet aceReplies(List<SteeringData.AceRow> rows, PromptTemplate t, TextCodec codec) {
        List<int[]> pos = new ArrayList<>(), neg = new ArrayList<>();
        for (SteeringData.AceRow r : rows) {
            String p = t.apply(r.prompt());
            if (p.endsWith("(")) p = p.substring(0, p.length() - 1);
            pos.add(codec.encode(p + r.refusal()));
            neg.add(codec.encode(p + r.nonrefusal()));
        }
        return new ContrastSet("ace-replies", PositionRule.ACE_REPLY, pos, neg);
    }

    /** Free texts, read at their last token (or their final state with {@link PositionRule#FINAL_STATE}). */
    public static ContrastSet texts(SteeringData.ContrastText c, PromptTemplate t, TextCodec codec, PositionRule rule) {
        List<int[]> pos = new ArrayList<>(), neg = new ArrayList<>();
        for (String s : c.positives()) pos.add(codec.encode(t.apply(s)));
        for (String s : c.negatives()) neg.add(codec.encode(t.apply(s)));
        return new ContrastSet("contrast:" + c.name(), rule, pos, neg);
    }

    /** The same set read at the final recurrent state instead of an activation. */
    public static ContrastSet asState(ContrastSet s) {
        return new ContrastSet(s.name(), PositionRule.FINAL_STATE, s.positives(), s.negatives());
    }

    /** A tokenized A/B test item: the prompt up to "(" and the two letter tokens. */
    public record AbTask(int[] prompt, int tokenA, int tokenB, boolean matchingIsA) {
        public int matchingToken() { return matchingIsA ? tokenA : tokenB; }
    }

    public static List<AbTask> abTasks(List<SteeringData.AbItem> items, PromptTemplate t, TextCodec codec) {
        List<AbTask> out = new ArrayList<>();
        for (SteeringData.AbItem it : items) {
            String p = t.apply(it.question());
            int[] prompt = codec.encode(p);
            out.add(new AbTask(prompt, letterToken(codec, p, prompt, "A"), letterToken(codec, p, prompt, "B"),
                    it.matchingLetter().equals("A")));
        }
        return out;
    }

    /**
     * The id of {@code letter} as the next token after the prompt: the extra token of encode(prompt + letter) when
     * that extends encode(prompt) by one; otherwise (the tokenizer merged it with "(") the last token of
     * encode(letter), as rnngineering's {@code tokenizer.encode("A")[-1]}.
     */
    static int letterToken(TextCodec codec, String p, int[] prompt, String letter) {
        int[] with = codec.encode(p + letter);
        if (with.length == prompt.length + 1 && Arrays.equals(Arrays.copyOf(with, prompt.length), prompt))
            return with[with.length - 1];
        int[] alone = codec.encode(letter);
        return alone[alone.length - 1];
    }
}
