package vireo.tpc;

/**
 * Anything that compresses a wedge to bytes and back: BCAE-VS, the dense BCAE++ baseline, the SZ-style
 * error-bounded codec, lossless zstd. {@code vireo tpc eval} puts them in one table.
 */
public interface WedgeCodec {
    /** Short name shown in tables ("bcae-vs", "zstd", "sz", "bcae++"). */
    String name();

    byte[] encode(Wedge wedge);

    Wedge decode(byte[] code);
}
