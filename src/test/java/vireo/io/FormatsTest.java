package vireo.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class FormatsTest {
    @TempDir Path tmp;

    @Test
    void detectsByContentNotName() throws IOException {
        // copies with misleading names: detection must use the bytes
        assertEquals("pytorch", detectCopy("dtypes.pt", "a.safetensors"));
        assertEquals("npy", detectCopy("npy/f4.npy", "b.pt"));
        assertEquals("safetensors", detectCopy("dtypes.safetensors", "c.npy"));
        assertEquals("safetensors-sharded", Formats.detect(IoFixtures.path("sharded")).name());
        assertEquals("safetensors-sharded", Formats.detect(IoFixtures.path("sharded/model.safetensors.index.json")).name());
    }

    private String detectCopy(String fixture, String as) throws IOException {
        Path p = Files.copy(IoFixtures.path(fixture), tmp.resolve(as));
        String name = Formats.detect(p).name();
        try (TensorFile f = Formats.open(p)) {
            assertEquals(name, f.format());
            assertFalse(f.tensors().isEmpty());
        }
        return name;
    }

    @Test
    void unknownEmptyAndMissingFilesAreOneLineErrors() throws IOException {
        Path txt = Files.writeString(tmp.resolve("notes.txt"), "hello, not tensors");
        var e = assertThrows(InvalidFileException.class, () -> Formats.open(txt));
        assertEquals(txt + ": unrecognised tensor file format (expected one of [pytorch, npy, safetensors, safetensors-sharded])", e.getMessage());
        Path empty = Files.write(tmp.resolve("empty.bin"), new byte[0]);
        e = assertThrows(InvalidFileException.class, () -> Formats.open(empty));
        assertEquals(empty + ": empty file", e.getMessage());
        e = assertThrows(InvalidFileException.class, () -> Formats.open(tmp.resolve("missing.pt")));
        assertTrue(e.getMessage().endsWith("no such file"));
        Path dir = Files.createDirectory(tmp.resolve("emptydir"));
        assertThrows(InvalidFileException.class, () -> Formats.open(dir));
    }

    @Test
    void inventoryCountsParametersAndBytes() {
        Inventory inv = Inventory.of(IoFixtures.path("views.pt"));
        assertEquals("pytorch", inv.format());
        assertEquals(8, inv.tensors().size());
        // transposed 12 + shared_a 6 + shared_b 10 + every_third 7 + expanded 6 + two 0-d + slice 2x2
        assertEquals(12 + 6 + 10 + 7 + 6 + 1 + 1 + 4, inv.parameters());
        assertEquals((12 + 6 + 10 + 7 + 6 + 1 + 4) * 4L + 8, inv.bytes());
    }
}
