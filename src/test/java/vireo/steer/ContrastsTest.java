package vireo.steer;

import org.junit.jupiter.api.Test;
import vireo.lm.Hooks;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ContrastsTest {
    /** A character-level toy codec in which "(A" and "(B" merge into one token. */
    static final TextCodec MERGING = new TextCodec() {
        public int[] encode(String s) {
            java.util.List<Integer> t = new java.util.ArrayList<>();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '(' && i + 1 < s.length() && (s.charAt(i + 1) == 'A' || s.charAt(i + 1) == 'B')) { t.add(s.charAt(++i) == 'A' ? 10 : 11); continue; }
                t.add(c == 'A' ? 7 : c == 'B' ? 8 : c == '(' ? 9 : Math.floorMod(c, 7));
            }
            return t.stream().mapToInt(Integer::intValue).toArray();
        }
        public String decode(int[] t) { return ""; }
    };

    @Test
    void letterTokensFallBackWhenTheTokenizerMergesTheParenthesis() {
        List<SteeringData.AbItem> items = List.of(new SteeringData.AbItem("q", "(B)", "(A)"));
        Contrasts.AbTask plain = Contrasts.abTasks(items, PromptTemplate.NONE, BehaviourSweepTest.CODEC).get(0);
        assertEquals(10, plain.tokenA());
        assertEquals(11, plain.matchingToken());
        Contrasts.AbTask merged = Contrasts.abTasks(items, new PromptTemplate("t", "{q} ("), MERGING).get(0);
        assertEquals(7, merged.tokenA(), "encode(\"A\") last token when \"(A\" merges");
        assertEquals(8, merged.tokenB());
        assertFalse(merged.matchingIsA());
    }

    @Test
    void aceSetsSplitByLabelAndAppendReplies() {
        List<SteeringData.AceRow> rows = List.of(new SteeringData.AceRow("bad", "harmful", "No", "Yes"),
                new SteeringData.AceRow("ok", "harmless", "No", "Sure"), new SteeringData.AceRow("evil", "harmful", "No", "Ok"));
        TextCodec echo = new TextCodec() {
            public int[] encode(String s) { return s.chars().toArray(); }
            public String decode(int[] t) { return new String(t, 0, t.length); }
        };
        ContrastSet p = Contrasts.acePrompts(rows, PromptTemplate.LLAMA2, echo);
        assertEquals(2, p.positives().size());
        assertEquals(1, p.negatives().size());
        assertEquals("[INST] ok [/INST]", echo.decode(p.negatives().get(0)));
        ContrastSet r = Contrasts.aceReplies(rows, PromptTemplate.LLAMA2, echo);
        assertEquals("[INST] bad [/INST] No", echo.decode(r.positives().get(0)));
        assertEquals("[INST] ok [/INST] Sure", echo.decode(r.negatives().get(1)));
        assertEquals(PositionRule.ACE_REPLY, r.rule());
    }

    @Test
    void judgeComparesYesAndNoAtTheNextToken() {
        ToyModel m = InterventionTest.MODEL;
        Refusal.Judge j = new Refusal.Judge(m, BehaviourSweepTest.CODEC, "{q}|{a}:");
        double p = j.yesProbability("ab", "cd");
        int[] t = BehaviourSweepTest.CODEC.encode("ab|cd:");
        float[] logits = m.forward(m.newState(), t, Hooks.NONE)[t.length - 1];
        // the toy codec splits " yes" into several tokens: the judge then falls back to encode(" yes")'s last token
        int yes = BehaviourSweepTest.CODEC.encode(" yes")[3], no = BehaviourSweepTest.CODEC.encode(" no")[2];
        double want = Math.exp(logits[yes]) / (Math.exp(logits[yes]) + Math.exp(logits[no]));
        assertEquals(want, p, 1e-9);
    }
}
