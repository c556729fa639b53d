package vireo.lm.tokenizer;

import vireo.io.InvalidFileException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * RWKV's "world" vocabulary ({@code rwkv_vocab_v20230424.txt}): lines {@code <id> <python str or bytes literal>
 * <byte length>}; encoding is greedy longest match over the UTF-8 bytes through a byte trie (no merges). Id 0 is
 * end-of-text.
 */
public final class RwkvWorldTokenizer implements Tokenizer {
    private final byte[][] pieces;
    private final Node root = new Node();

    private static final class Node {
        final Node[] next = new Node[256];
        int id = -1;
    }

    private RwkvWorldTokenizer(byte[][] pieces) {
        this.pieces = pieces;
        for (int id = 0; id < pieces.length; id++) {
            if (pieces[id] == null) continue;
            Node n = root;
            for (byte b : pieces[id]) {
                int k = b & 0xff;
                if (n.next[k] == null) n.next[k] = new Node();
                n = n.next[k];
            }
            n.id = id;
        }
    }

    public static RwkvWorldTokenizer read(Path path) {
        List<String> lines;
        lines = vireo.io.InputFile.readLines(path);
        List<byte[]> byId = new ArrayList<>();
        int lineNo = 0;
        for (String line : lines) {
            lineNo++;
            if (line.isBlank()) continue;
            int sp = line.indexOf(' '), last = line.lastIndexOf(' ');
            if (sp < 0 || last <= sp) throw new InvalidFileException(path, "line " + lineNo + ": expected '<id> <literal> <length>'");
            int id, len;
            try {
                id = Integer.parseInt(line.substring(0, sp));
                len = Integer.parseInt(line.substring(last + 1).trim());
            } catch (NumberFormatException e) {
                throw new InvalidFileException(path, "line " + lineNo + ": id or length is not a number");
            }
            byte[] bytes = unescape(line.substring(sp + 1, last), path, lineNo);
            if (bytes.length != len) throw new InvalidFileException(path, "line " + lineNo + ": literal has " + bytes.length + " bytes, line says " + len);
            while (byId.size() <= id) byId.add(null);
            byId.set(id, bytes);
        }
        return new RwkvWorldTokenizer(byId.toArray(new byte[0][]));
    }

    /** A Python {@code '...'} / {@code "..."} str literal (UTF-8 encoded) or {@code b'...'} bytes literal. */
    static byte[] unescape(String lit, Path path, int lineNo) {
        boolean bytes = lit.startsWith("b");
        String body = bytes ? lit.substring(1) : lit;
        if (body.length() < 2 || (body.charAt(0) != '\'' && body.charAt(0) != '"') || body.charAt(body.length() - 1) != body.charAt(0))
            throw new InvalidFileException(path, "line " + lineNo + ": not a Python string literal: " + lit);
        body = body.substring(1, body.length() - 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < body.length(); ) {
            char ch = body.charAt(i);
            if (ch != '\\') {
                int cp = body.codePointAt(i);
                out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp);
                continue;
            }
            if (i + 1 >= body.length()) throw new InvalidFileException(path, "line " + lineNo + ": dangling backslash");
            char e = body.charAt(i + 1);
            i += 2;
            switch (e) {
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case 'r' -> out.write('\r');
                case '0' -> out.write(0);
                case 'a' -> out.write(7);
                case 'b' -> out.write(8);
                case 'f' -> out.write(12);
                case 'v' -> out.write(11);
                case '\\', '\'', '"' -> out.write(e);
                case 'x' -> { out.write(Integer.parseInt(body.substring(i, i + 2), 16)); i += 2; }
                case 'u', 'U' -> {
                    int n = e == 'u' ? 4 : 8;
                    int cp = Integer.parseInt(body.substring(i, i + n), 16);
                    i += n;
                    if (bytes) throw new InvalidFileException(path, "line " + lineNo + ": \\" + e + " in a bytes literal");
                    out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                }
                default -> throw new InvalidFileException(path, "line " + lineNo + ": unsupported escape \\" + e);
            }
        }
        return out.toByteArray();
    }

    @Override
    public int[] encode(String text, boolean bos) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        int[] out = new int[b.length];
        int n = 0;
        for (int i = 0; i < b.length; ) {
            Node node = root;
            int bestId = -1, bestLen = 0;
            for (int j = i; j < b.length; j++) {
                node = node.next[b[j] & 0xff];
                if (node == null) break;
                if (node.id >= 0) { bestId = node.id; bestLen = j - i + 1; }
            }
            if (bestId < 0) throw new IllegalArgumentException("byte 0x" + Integer.toHexString(b[i] & 0xff) + " has no token in this vocabulary");
            out[n++] = bestId;
            i += bestLen;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    @Override public byte[] piece(int previous, int token) { return token > 0 && token < pieces.length && pieces[token] != null ? pieces[token] : new byte[0]; }
    @Override public int vocabSize() { return pieces.length; }
    @Override public int bos() { return -1; }
    @Override public int eos() { return 0; }
    @Override public int idOf(String piece) {
        int[] ids = encode(piece, false);
        return ids.length == 1 ? ids[0] : -1;
    }
}
