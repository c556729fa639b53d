package vireo.lm.llama;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a Hugging Face Llama folder of a given shape whose bf16 weights are all zero, as a sparse file: it takes
 * almost no disk, yet has the real byte layout, so loading it measures what memory-mapping a 7B checkpoint costs.
 */
public final class SyntheticLlama {
    private SyntheticLlama() {}

    /** Llama-2-7B's shape: 32 layers, d 4096, 32 heads, FFN 11008, vocab 32000. */
    public static final int[] LLAMA2_7B = {4096, 11008, 32, 32, 32, 32000};

    /** Writes config.json + model.safetensors into {@code dir} (skipped when already there); returns the file size. */
    public static long write(Path dir, int dim, int hidden, int layers, int heads, int kvHeads, int vocab) throws IOException {
        Files.createDirectories(dir);
        int kvDim = dim / heads * kvHeads;
        Map<String, int[]> shapes = new LinkedHashMap<>();
        shapes.put("model.embed_tokens.weight", new int[]{vocab, dim});
        for (int l = 0; l < layers; l++) {
            String p = "model.layers." + l + ".";
            shapes.put(p + "input_layernorm.weight", new int[]{dim});
            shapes.put(p + "self_attn.q_proj.weight", new int[]{dim, dim});
            shapes.put(p + "self_attn.k_proj.weight", new int[]{kvDim, dim});
            shapes.put(p + "self_attn.v_proj.weight", new int[]{kvDim, dim});
            shapes.put(p + "self_attn.o_proj.weight", new int[]{dim, dim});
            shapes.put(p + "post_attention_layernorm.weight", new int[]{dim});
            shapes.put(p + "mlp.gate_proj.weight", new int[]{hidden, dim});
            shapes.put(p + "mlp.down_proj.weight", new int[]{dim, hidden});
            shapes.put(p + "mlp.up_proj.weight", new int[]{hidden, dim});
        }
        shapes.put("model.norm.weight", new int[]{dim});
        shapes.put("lm_head.weight", new int[]{vocab, dim});
        ObjectMapper json = new ObjectMapper();
        ObjectNode header = json.createObjectNode();
        long offset = 0;
        for (var e : shapes.entrySet()) {
            long bytes = 2;
            for (int s : e.getValue()) bytes *= s;
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "BF16");
            var shape = t.putArray("shape");
            for (int s : e.getValue()) shape.add(s);
            var off = t.putArray("data_offsets");
            off.add(offset);
            off.add(offset + bytes);
            offset += bytes;
        }
        header.putObject("__metadata__").put("format", "pt").put("note", "synthetic all-zero weights (sparse file)");
        byte[] h = json.writeValueAsBytes(header);
        int pad = (8 - h.length % 8) % 8;
        byte[] padded = new byte[h.length + pad];
        System.arraycopy(h, 0, padded, 0, h.length);
        for (int i = h.length; i < padded.length; i++) padded[i] = ' ';
        Path file = dir.resolve("model.safetensors");
        long total = 8 + padded.length + offset;
        { // rewritten each time: the header is small and the weights are a hole
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.setLength(0);
                byte[] len = new byte[8];
                for (int i = 0; i < 8; i++) len[i] = (byte) ((long) padded.length >>> (8 * i));
                f.write(len);
                f.write(padded);
                f.setLength(total); // the weights stay a hole: zeros that take no disk
            }
        }
        ObjectNode cfg = json.createObjectNode();
        cfg.put("model_type", "llama").put("hidden_size", dim).put("intermediate_size", hidden).put("num_hidden_layers", layers)
                .put("num_attention_heads", heads).put("num_key_value_heads", kvHeads).put("vocab_size", vocab)
                .put("max_position_embeddings", 4096).put("rms_norm_eps", 1e-5).put("rope_theta", 10000.0)
                .put("tie_word_embeddings", false);
        vireo.io.OutputFile.writeString(dir.resolve("config.json"), cfg.toPrettyString());
        return total;
    }
}
