package vireo.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** The one writer: refuses non-regular targets, names the user's path, keeps permissions, leaves no temp files. */
class OutputFileTest {
    @TempDir Path dir;

    @Test
    void refusesADeviceInsteadOfReplacingIt() {
        Path dev = Path.of("/dev/null");
        var e = assertThrows(InvalidFileException.class, () -> OutputFile.check(dev));
        assertTrue(e.getMessage().startsWith("/dev/null: is not a regular file"), e.getMessage());
        assertThrows(InvalidFileException.class, () -> OutputFile.write(dev, new byte[] {1}));
        assertFalse(Files.isRegularFile(dev), "the device is still a device");
    }

    @Test
    void refusesAFifoAndAFolder() throws Exception {
        Path fifo = dir.resolve("pipe");
        int rc = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
        if (rc == 0) {
            var e = assertThrows(InvalidFileException.class, () -> OutputFile.write(fifo, new byte[] {1}));
            assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        }
        var e = assertThrows(InvalidFileException.class, () -> OutputFile.check(dir));
        assertTrue(e.getMessage().contains("is a folder"), e.getMessage());
    }

    @Test
    void missingFolderNamesTheUsersPathBeforeWork() {
        Path target = dir.resolve("no/such/out.npy");
        var e = assertThrows(InvalidFileException.class, () -> OutputFile.check(target));
        assertTrue(e.getMessage().startsWith(target.toString() + ": cannot write: folder"), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"));
    }

    @Test
    void newFileGetsUmaskPermissionsLikeAnyOtherFile() throws IOException {
        Path ref = Files.createFile(dir.resolve("ref"));
        Path out = dir.resolve("out.bvs");
        OutputFile.write(out, new byte[] {1, 2, 3});
        assertEquals(Files.getPosixFilePermissions(ref), Files.getPosixFilePermissions(out));
        assertTrue(Files.getPosixFilePermissions(out).contains(PosixFilePermission.OWNER_READ));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(out));
    }

    @Test
    void existingFileKeepsItsPermissions() throws IOException {
        Path out = dir.resolve("out.npy");
        Files.write(out, new byte[] {9});
        Set<PosixFilePermission> perms = PosixFilePermissions.fromString("rw-rw----");
        Files.setPosixFilePermissions(out, perms);
        OutputFile.writeString(out, "new");
        assertEquals(perms, Files.getPosixFilePermissions(out));
        assertEquals("new", Files.readString(out));
    }

    @Test
    void failedWriteKeepsTheOldFileAndLeavesNoTempFile() throws IOException {
        Path out = dir.resolve("keep.safetensors");
        Files.writeString(out, "old");
        var e = assertThrows(InvalidFileException.class, () -> OutputFile.write(out, ch -> {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2}));
            throw new IOException("disk full");
        }));
        assertEquals(out + ": cannot write: disk full", e.getMessage());
        assertFalse(e.getMessage().contains(".tmp"));
        assertEquals("old", Files.readString(out));
        try (var s = Files.list(dir)) { assertEquals(1, s.count(), "no temp file left"); }
    }

    @Test
    void followsASymbolicLinkInsteadOfReplacingIt() throws IOException {
        Path real = dir.resolve("real.npy");
        Files.writeString(real, "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.npy"), real);
        OutputFile.writeString(link, "new");
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("new", Files.readString(real));
    }

    @Test
    void dashIsStandardOutputOnlyForStreams() {
        var e = assertThrows(InvalidFileException.class, () -> OutputFile.writeVia(Path.of("-"), p -> {}));
        assertTrue(e.getMessage().contains("standard output"));
        OutputFile.check(Path.of("-"));
    }
}
