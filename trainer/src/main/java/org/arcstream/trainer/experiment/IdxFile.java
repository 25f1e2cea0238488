package org.arcstream.trainer.experiment;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads unsigned-byte IDX files (the format of MNIST and Fashion-MNIST), gzipped or plain:
 * images as {@code count x rows x cols} and labels as {@code count}. The header is checked
 * against the expected kind and the data length against the header, so a truncated or
 * foreign file is refused with a message naming it rather than read as garbage.
 */
public final class IdxFile {

    /** Type code of unsigned bytes, the third byte of the magic number. */
    private static final int UNSIGNED_BYTE = 0x08;
    /** Refuse headers that claim more than this many bytes before allocating anything. */
    private static final long MAX_BYTES = 1L << 30;

    private IdxFile() {}

    /** Images of an IDX file with magic {@code 0x00000803}: {@code count x rows x cols} unsigned bytes. */
    public static LabeledImages.Pixels readImages(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int[] dims = header(in, file, 3);
            long bytes = (long) dims[0] * dims[1] * dims[2];
            byte[] pixels = body(in, file, bytes);
            return new LabeledImages.Pixels(dims[0], dims[1], dims[2], pixels);
        }
    }

    /**
     * A plain IDX file opened for writing, its header ({@code magic}, then each dimension) written: the
     * caller writes the unsigned bytes of the body and closes it.
     */
    static DataOutputStream writer(Path file, int magic, int... dims) throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
        out.writeInt(magic);
        for (int d : dims) {
            out.writeInt(d);
        }
        return out;
    }

    /** Labels of an IDX file with magic {@code 0x00000801}: one unsigned byte per item. */
    public static int[] readLabels(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int[] dims = header(in, file, 1);
            byte[] raw = body(in, file, dims[0]);
            int[] labels = new int[raw.length];
            for (int i = 0; i < raw.length; i++) {
                labels[i] = raw[i] & 0xff;
            }
            return labels;
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file));
        raw.mark(2);
        int b0 = raw.read(), b1 = raw.read();
        raw.reset();
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        try {
            return new DataInputStream(gzip ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16)) : raw);
        } catch (ZipException | EOFException e) {
            raw.close();
            throw new IdxFormatException(file + ": broken gzip header (" + e.getMessage() + ")", e);
        }
    }

    private static int[] header(DataInputStream in, Path file, int expectedDims) throws IOException {
        int magic;
        try {
            magic = in.readInt();
        } catch (EOFException e) {
            throw new IdxFormatException(file + ": too short for an IDX header", e);
        }
        int expectedMagic = (UNSIGNED_BYTE << 8) | expectedDims;
        if (magic != expectedMagic) {
            throw new IdxFormatException(String.format(
                    "%s: wrong magic number 0x%08x, expected 0x%08x (an IDX file of unsigned bytes with %d dimension%s)",
                    file, magic, expectedMagic, expectedDims, expectedDims == 1 ? "" : "s"));
        }
        int[] dims = new int[expectedDims];
        for (int d = 0; d < expectedDims; d++) {
            try {
                dims[d] = in.readInt();
            } catch (EOFException e) {
                throw new IdxFormatException(file + ": truncated in the header (dimension " + (d + 1) + " of " + expectedDims + " missing)", e);
            } catch (ZipException e) {
                throw new IdxFormatException(file + ": corrupt gzip data (" + e.getMessage() + ")", e);
            }
            if (dims[d] <= 0) {
                throw new IdxFormatException(file + ": dimension " + (d + 1) + " is " + dims[d] + ", must be positive");
            }
        }
        return dims;
    }

    private static byte[] body(DataInputStream in, Path file, long bytes) throws IOException {
        if (bytes > MAX_BYTES) {
            throw new IdxFormatException(file + ": header announces " + bytes + " bytes of data, more than the limit of " + MAX_BYTES);
        }
        byte[] data = new byte[(int) bytes];
        int read;
        try {
            read = in.readNBytes(data, 0, data.length);
        } catch (EOFException e) {
            // a gzip stream cut short ends with an EOF inside the inflater
            throw new IdxFormatException(file + ": truncated (the compressed stream ends before the " + bytes + " data bytes the header announces)", e);
        } catch (ZipException e) {
            throw new IdxFormatException(file + ": corrupt gzip data (" + e.getMessage() + ")", e);
        }
        if (read < data.length) {
            throw new IdxFormatException(file + ": truncated: the header announces " + bytes + " data bytes, the file holds " + read);
        }
        int extra;
        try {
            extra = in.read();
        } catch (EOFException e) {
            throw new IdxFormatException(file + ": truncated (the compressed stream ends without its trailer)", e);
        }
        if (extra >= 0) {
            throw new IdxFormatException(file + ": more data than the header announces (" + bytes + " bytes); not a single IDX array");
        }
        return data;
    }
}
