package vireo.tpc;

import vireo.io.InvalidFileException;

import java.nio.file.Path;
import java.util.List;

/**
 * BCAE-VS as a {@link WedgeCodec}: encoder + gate → kept voxels → {@link BcaeVsFile} bytes (one wedge), and back
 * through the two dense decoders. Decoding refuses files written by a different model.
 */
public final class BcaeVsCodec implements WedgeCodec {
    private final BcaeVs model;
    private final Gate gate;
    private final String identity;

    public BcaeVsCodec(BcaeVs model, Gate gate) {
        this.model = model;
        this.gate = gate;
        this.identity = model.identity();
    }

    public BcaeVs model() { return model; }

    public Gate gate() { return gate; }

    @Override
    public String name() { return "bcae-vs"; }

    @Override
    public byte[] encode(Wedge wedge) { return file(List.of(wedge)).toBytes(); }

    /** Several wedges in one file. */
    public BcaeVsFile file(List<Wedge> wedges) {
        java.util.List<KeptVoxels> codes = new java.util.ArrayList<>();
        for (int i = 0; i < wedges.size(); i++) codes.add(model.compress(wedges.get(i), gate.forWedge(i)));
        return new BcaeVsFile(identity, gate, codes);
    }

    @Override
    public Wedge decode(byte[] code) {
        BcaeVsFile f = BcaeVsFile.parse(Path.of("<bytes>"), code);
        if (f.wedges().size() != 1) throw new IllegalArgumentException("expected one wedge, file holds " + f.wedges().size());
        return decode(Path.of("<bytes>"), f).getFirst();
    }

    /** Every wedge of a parsed file, checked against this codec's model identity. */
    public List<Wedge> decode(Path source, BcaeVsFile f) {
        if (!f.modelIdentity().equals(identity))
            throw new InvalidFileException(source, "written by BCAE-VS model " + f.modelIdentity() + ", but the checkpoint given is " + identity);
        return f.wedges().stream().map(model::decompress).toList();
    }
}
