package vireo.tpc;

import com.github.luben.zstd.Zstd;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Lossless baseline: the raw 16-bit ADC wedge (as stored, 1,529,856 bytes) through zstd. Exact round trip of the
 * ADC counts; in the log domain a decoded wedge equals {@link Wedge#fromAdc} of the original counts.
 */
public final class ZstdCodec implements WedgeCodec {
    public static final int DEFAULT_LEVEL = 19;
    private final int level;

    public ZstdCodec() { this(DEFAULT_LEVEL); }

    public ZstdCodec(int level) { this.level = level; }

    @Override
    public String name() { return "zstd-" + level; }

    @Override
    public byte[] encode(Wedge wedge) { return encodeAdc(wedge.toAdc()); }

    public byte[] encodeAdc(short[] adc) {
        ByteBuffer raw = ByteBuffer.allocate(adc.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : adc) raw.putShort(s);
        return Zstd.compress(raw.array(), level);
    }

    public short[] decodeAdc(byte[] code) {
        long size = Zstd.getFrameContentSize(code);
        if (size != Wedge.VOXELS * 2L) throw new IllegalArgumentException("not a zstd wedge: content size " + size);
        ByteBuffer raw = ByteBuffer.wrap(Zstd.decompress(code, (int) size)).order(ByteOrder.LITTLE_ENDIAN);
        short[] adc = new short[Wedge.VOXELS];
        for (int i = 0; i < adc.length; i++) adc[i] = raw.getShort();
        return adc;
    }

    @Override
    public Wedge decode(byte[] code) { return Wedge.fromAdc(decodeAdc(code)); }

    /** Raw size over coded size, both in bytes (raw = 16 bits per voxel, as the authors count). */
    public static double ratio(byte[] code) { return Wedge.VOXELS * 2.0 / code.length; }
}
