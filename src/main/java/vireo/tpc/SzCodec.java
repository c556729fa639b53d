package vireo.tpc;

import com.github.luben.zstd.Zstd;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An SZ-style error-bounded lossy codec on log2(ADC+1) values, written from the SZ recipe (no SZ code):
 * <ol>
 *   <li>zero/nonzero map: the signal mask is kept exactly (run lengths, zstd), so zeros stay zeros and no value is
 *       invented where the wedge was empty — the zero-run handling;</li>
 *   <li>3-D Lorenzo prediction of each nonzero value from its already-<em>decoded</em> neighbours (a, z, l) − the
 *       usual 7-term inclusion–exclusion; a missing (zero) neighbour is replaced by the threshold level so empty space
 *       does not drag predictions to 0;</li>
 *   <li>linear quantisation of the prediction error with bin width 2e: |decoded − original| ≤ e, guaranteed, since
 *       the encoder reconstructs exactly what the decoder will;</li>
 *   <li>entropy coding: the quantisation codes (zig-zag varints) through zstd.</li>
 * </ol>
 * Codes are unbounded zig-zag varints; with log values in [0, 10.01] and
 * e ≥ 1e-5 every code fits in a long varint.
 */
public final class SzCodec implements WedgeCodec {
    /** Where an empty neighbour sits for prediction: log2(70+1), the zero-suppression floor. */
    static final float EMPTY_LEVEL = (float) (Math.log(71) / Math.log(2));
    private static final int ZSTD_LEVEL = 19;
    private final double bound;

    /** @param bound absolute error bound e in log2(ADC+1) units */
    public SzCodec(double bound) {
        if (!(bound >= 1e-5)) throw new IllegalArgumentException("error bound must be >= 1e-5, got " + bound);
        this.bound = bound;
    }

    public double bound() { return bound; }

    @Override
    public String name() { return "sz(e=" + bound + ")"; }

    @Override
    public byte[] encode(Wedge wedge) {
        float[] x = wedge.log();
        float[] dec = new float[x.length];
        VarintOut codes = new VarintOut(x.length / 4);
        VarintOut mask = new VarintOut(4096);
        // mask: alternating run lengths of zeros and nonzeros in C order, starting with zeros
        boolean cur = false;
        int run = 0;
        for (float v : x) {
            boolean nz = v != 0f;
            if (nz != cur) { mask.put(run); run = 0; cur = nz; }
            run++;
        }
        mask.put(run);
        double w = step(bound);
        for (int i = 0; i < x.length; i++) {
            if (x[i] == 0f) continue;
            float p = predict(dec, i);
            long q = Math.round((x[i] - p) / w);
            float d = (float) (p + q * w);
            dec[i] = d;
            codes.put(zigzag(q));
        }
        byte[] m = Zstd.compress(mask.bytes(), ZSTD_LEVEL), c = Zstd.compress(codes.bytes(), ZSTD_LEVEL);
        ByteBuffer out = ByteBuffer.allocate(8 + 4 * 4 + m.length + c.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putDouble(bound).putInt(m.length).putInt(mask.size()).putInt(c.length).putInt(codes.size()).put(m).put(c);
        return out.array();
    }

    @Override
    public Wedge decode(byte[] code) {
        ByteBuffer in = ByteBuffer.wrap(code).order(ByteOrder.LITTLE_ENDIAN);
        double e = in.getDouble();
        int mLen = in.getInt(), mRaw = in.getInt(), cLen = in.getInt(), cRaw = in.getInt();
        byte[] m = new byte[mLen], c = new byte[cLen];
        in.get(m).get(c);
        VarintIn mask = new VarintIn(Zstd.decompress(m, mRaw)), codes = new VarintIn(Zstd.decompress(c, cRaw));
        boolean[] nz = new boolean[Wedge.VOXELS];
        boolean cur = false;
        for (int pos = 0; pos < Wedge.VOXELS; cur = !cur) {
            int run = mask.next();
            if (cur) for (int k = 0; k < run; k++) nz[pos + k] = true;
            pos += run;
        }
        float[] dec = new float[Wedge.VOXELS];
        double w = step(e);
        for (int i = 0; i < dec.length; i++) {
            if (!nz[i]) continue;
            float p = predict(dec, i);
            dec[i] = (float) (p + unzigzag(codes.nextLong()) * w);
        }
        return new Wedge(dec);
    }

    /** 3-D Lorenzo predictor over decoded values; empty neighbours count as {@link #EMPTY_LEVEL}. */
    static float predict(float[] dec, int i) {
        int l = i % Wedge.LAYERS, z = (i / Wedge.LAYERS) % Wedge.Z, a = i / (Wedge.LAYERS * Wedge.Z);
        int sl = 1, sz = Wedge.LAYERS, sa = Wedge.LAYERS * Wedge.Z;
        boolean hl = l > 0, hz = z > 0, ha = a > 0;
        float p = 0f;
        p += hl ? v(dec, i - sl) : 0;
        p += hz ? v(dec, i - sz) : 0;
        p += ha ? v(dec, i - sa) : 0;
        p -= hl && hz ? v(dec, i - sl - sz) : 0;
        p -= hl && ha ? v(dec, i - sl - sa) : 0;
        p -= hz && ha ? v(dec, i - sz - sa) : 0;
        p += hl && hz && ha ? v(dec, i - sl - sz - sa) : 0;
        if (!(hl || hz || ha)) p = EMPTY_LEVEL;
        return p;
    }

    private static float v(float[] dec, int j) { return dec[j] == 0f ? EMPTY_LEVEL : dec[j]; }

    /**
     * Quantiser bin width: 2e less a margin that covers float32 rounding of the decoded value (half an ulp of 10.0
     * is 4.8e-7), so |decoded − original| ≤ e holds after the cast, not just in exact arithmetic.
     */
    static double step(double e) { return 2 * (e - 1e-6); }

    private static long zigzag(long q) { return (q << 1) ^ (q >> 63); }

    private static long unzigzag(long u) { return (u >>> 1) ^ -(u & 1); }

    /**
     * The largest error bound whose MAE (whole wedge, log units) stays at or below {@code targetMae}: bisection on
     * log e, 14 steps. Lets a table put SZ at the same MAE as a neural codec.
     */
    public static SzCodec forTargetMae(Wedge wedge, double targetMae) {
        double lo = 1e-4, hi = 4.0;
        for (int it = 0; it < 14; it++) {
            double mid = Math.sqrt(lo * hi);
            SzCodec c = new SzCodec(mid);
            double mae = ReconstructionMetrics.compare(wedge, c.decode(c.encode(wedge))).mae();
            if (mae <= targetMae) lo = mid; else hi = mid;
        }
        return new SzCodec(lo);
    }

    /**
     * SZ at a target MAE: each wedge gets the bound {@link #forTargetMae} finds for it (the bound travels in the
     * code, so decoding needs nothing else). `vireo tpc eval` uses 0.029, BCAE-VS's MAE on the sample wedge (gate seed 0).
     */
    public static WedgeCodec atMae(double targetMae) {
        return new WedgeCodec() {
            @Override public String name() { return String.format(java.util.Locale.ROOT, "sz@mae%.4f", targetMae); }
            @Override public byte[] encode(Wedge w) { return forTargetMae(w, targetMae).encode(w); }
            @Override public Wedge decode(byte[] code) { return new SzCodec(1.0).decode(code); }
        };
    }

    private static final class VarintOut {
        private byte[] buf;
        private int n;
        VarintOut(int cap) { buf = new byte[Math.max(16, cap)]; }
        void put(long u) {
            if (n + 10 > buf.length) buf = java.util.Arrays.copyOf(buf, buf.length * 2);
            while ((u & ~0x7fL) != 0) { buf[n++] = (byte) ((u & 0x7f) | 0x80); u >>>= 7; }
            buf[n++] = (byte) u;
        }
        byte[] bytes() { return java.util.Arrays.copyOf(buf, n); }
        int size() { return n; }
    }

    private static final class VarintIn {
        private final byte[] buf;
        private int pos;
        VarintIn(byte[] b) { buf = b; }
        long nextLong() {
            long r = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = buf[pos++];
                r |= (long) (b & 0x7f) << shift;
                if (b >= 0) return r;
            }
        }
        int next() { return (int) nextLong(); }
    }
}
