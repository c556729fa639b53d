package vireo.lm.llama;

import vireo.io.InvalidFileException;
import vireo.tensor.DType;
import vireo.tensor.TensorView;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import vireo.io.TensorFile;

/**
 * llama2.c's checkpoint format (the legacy "version 0" export): seven int32 — dim, hidden_dim, n_layers, n_heads,
 * n_kv_heads, vocab_size (negative when a separate classifier follows), seq_len — then float32 arrays in the order
 * token embedding, attention norms, wq, wk, wv, wo, ffn norms, w1 (gate), w2 (down), w3 (up), final norm, two unused
 * RoPE tables of seq_len·head_size/2 each, and the classifier if not shared. Weights are viewed in place.
 */
public final class Llama2cFile {
    private Llama2cFile() {}

    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** True when the file starts with a plausible llama2.c header that matches the file size. */
    public static boolean looksLike(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            if (ch.size() < 28) return false;
            var buf = java.nio.ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(buf, 0);
            buf.flip();
            int[] h = new int[7];
            for (int i = 0; i < 7; i++) h[i] = buf.getInt();
            return validHeader(h) && expectedBytes(h) == ch.size();
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean validHeader(int[] h) {
        int dim = h[0], hidden = h[1], layers = h[2], heads = h[3], kv = h[4], vocab = Math.abs(h[5]), seq = h[6];
        return dim > 0 && hidden > 0 && layers > 0 && heads > 0 && kv > 0 && vocab > 0 && seq > 0
                && dim % heads == 0 && heads % kv == 0 && (dim / heads) % 2 == 0 && dim < 1 << 16 && layers < 1024;
    }

    private static long expectedBytes(int[] h) {
        long dim = h[0], hidden = h[1], layers = h[2], heads = h[3], kv = h[4], vocab = Math.abs(h[5]), seq = h[6];
        long hs = dim / heads, kvDim = kv * hs;
        long floats = vocab * dim + layers * (dim + dim * dim + 2 * kvDim * dim + dim * dim + dim + 3 * hidden * dim) + dim
                + seq * hs + (h[5] < 0 ? vocab * dim : 0);
        return 28 + floats * 4;
    }

    public static Llama load(Path path) {
        TensorFile f = open(path);
        try {
            int[] h = header(f);
            int dim = h[0], hidden = h[1], layers = h[2], heads = h[3], kv = h[4], vocab = Math.abs(h[5]), seq = h[6];
            LlamaConfig cfg = new LlamaConfig(dim, hidden, layers, heads, kv, vocab, seq, 10000.0, 1e-5f, true, null, h[5] > 0);
            TensorView[] an = new TensorView[layers], q = new TensorView[layers], k = new TensorView[layers], v = new TensorView[layers],
                    o = new TensorView[layers], fn = new TensorView[layers], w1 = new TensorView[layers], w2 = new TensorView[layers],
                    w3 = new TensorView[layers];
            for (int l = 0; l < layers; l++) {
                String p = "layers." + l + ".";
                an[l] = f.get(p + "attention_norm");
                q[l] = f.get(p + "wq");
                k[l] = f.get(p + "wk");
                v[l] = f.get(p + "wv");
                o[l] = f.get(p + "wo");
                fn[l] = f.get(p + "ffn_norm");
                w1[l] = f.get(p + "w1");
                w2[l] = f.get(p + "w2");
                w3[l] = f.get(p + "w3");
            }
            TensorView emb = f.get("tok_embeddings");
            return new Llama(cfg, new LlamaWeights(emb, an, q, k, v, o, fn, w1, w2, w3, f.get("norm"),
                    f.has("output") ? f.get("output") : emb), f);
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    private static int[] header(TensorFile f) {
        String[] parts = f.metadata().get("header").split(",");
        int[] h = new int[7];
        for (int i = 0; i < 7; i++) h[i] = Integer.parseInt(parts[i]);
        return h;
    }

    /**
     * The file's weights as named views (llama2.c's names: tok_embeddings, layers.N.wq, …, norm, output), with the
     * header in metadata; for {@code vireo inspect} and the loader.
     */
    public static TensorFile open(Path path) {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment seg;
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                if (ch.size() < 28) throw new InvalidFileException(path, "too short for a llama2.c checkpoint header (" + ch.size() + " bytes)");
                seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            } catch (NoSuchFileException e) {
                throw new InvalidFileException(path, "no such file");
            } catch (IOException e) {
                throw new InvalidFileException(path, "cannot read: " + e.getMessage(), e);
            }
            int[] h = new int[7];
            for (int i = 0; i < 7; i++) h[i] = seg.get(I32, i * 4L);
            if (!validHeader(h)) throw new InvalidFileException(path, "not a llama2.c checkpoint: implausible header " + java.util.Arrays.toString(h));
            if (expectedBytes(h) != seg.byteSize())
                throw new InvalidFileException(path, "llama2.c header promises " + expectedBytes(h) + " bytes but the file has " + seg.byteSize());
            int dim = h[0], hidden = h[1], layers = h[2], heads = h[3], kv = h[4], vocab = Math.abs(h[5]), seq = h[6];
            boolean shared = h[5] > 0;
            int hs = dim / heads, kvDim = kv * hs;
            var cursor = new long[]{28};
            var t = new LinkedHashMap<String, TensorView>();
            t.put("tok_embeddings", take(seg, cursor, vocab, dim));
            String[] names = {"attention_norm", "wq", "wk", "wv", "wo", "ffn_norm", "w1", "w2", "w3"};
            int[][] shapes = {{dim}, {dim, dim}, {kvDim, dim}, {kvDim, dim}, {dim, dim}, {dim}, {hidden, dim}, {dim, hidden}, {hidden, dim}};
            for (int n = 0; n < names.length; n++)
                for (int l = 0; l < layers; l++) t.put("layers." + l + "." + names[n], take(seg, cursor, shapes[n]));
            t.put("norm", take(seg, cursor, dim));
            cursor[0] += (long) seq * hs * 4; // freq_cis_real and freq_cis_imag (seq·hs/2 each), recomputed instead
            if (!shared) t.put("output", take(seg, cursor, vocab, dim));
            var meta = new java.util.HashMap<String, String>();
            meta.put("header", java.util.Arrays.stream(h).mapToObj(Integer::toString).collect(java.util.stream.Collectors.joining(",")));
            meta.put("config", "dim=" + dim + " hidden_dim=" + hidden + " n_layers=" + layers + " n_heads=" + heads + " n_kv_heads=" + kv
                    + " vocab_size=" + vocab + " seq_len=" + seq + (shared ? " (shared classifier)" : ""));
            return new TensorFile(path, "llama2c", t, meta, arena);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static TensorView take(MemorySegment seg, long[] cursor, int... shape) {
        long bytes = TensorView.numel(shape) * 4;
        TensorView v = new TensorView(DType.F32, shape, seg.asSlice(cursor[0], bytes));
        cursor[0] += bytes;
        return v;
    }

    private static TensorView[] stack(MemorySegment seg, long[] cursor, int layers, int... shape) {
        TensorView[] out = new TensorView[layers];
        for (int l = 0; l < layers; l++) out[l] = take(seg, cursor, shape);
        return out;
    }
}
