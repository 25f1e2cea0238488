package org.arcstream.core.image;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes little-endian classic TIFF files entry by entry, so tests can set tags no ImageIO writer exposes
 * (Orientation) and craft the broken or hostile structures the decoder must refuse.
 */
final class TiffBuilder {

    static final int SHORT = 3;
    static final int LONG = 4;
    static final int RATIONAL = 5;

    /** One IFD: tag -> (type, count, value bytes). Values of four bytes or less are stored inline. */
    private final List<Map<Integer, Object[]>> ifds = new ArrayList<>();
    private byte[] pixels = new byte[0];

    TiffBuilder() {
        ifds.add(new TreeMap<>());
    }

    /** An uncompressed 8-bit RGB image in one strip. */
    static TiffBuilder rgb(RgbImage image) {
        TiffBuilder b = new TiffBuilder();
        b.pixels = image.pixels().clone();
        b.tag(256, LONG, image.width())
                .tag(257, LONG, image.height())
                .tag(258, SHORT, 8, 8, 8)
                .tag(259, SHORT, 1)
                .tag(262, SHORT, 2)
                .tag(273, LONG, 0) // strip offset, filled in by build()
                .tag(277, SHORT, 3)
                .tag(278, LONG, image.height())
                .tag(279, LONG, b.pixels.length);
        return b;
    }

    /** Sets a SHORT or LONG tag with the given values in the current (last) IFD. */
    TiffBuilder tag(int tag, int type, long... values) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * (type == SHORT ? 2 : 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            if (type == SHORT) {
                buf.putShort((short) v);
            } else {
                buf.putInt((int) v);
            }
        }
        ifds.get(ifds.size() - 1).put(tag, new Object[] {type, (long) values.length, buf.array()});
        return this;
    }

    /** Sets a tag whose value lies out of line at a given offset with a declared count (may point anywhere). */
    TiffBuilder rawTag(int tag, int type, long count, long offset) {
        ifds.get(ifds.size() - 1).put(tag, new Object[] {type, count, offset});
        return this;
    }

    /** Starts another IFD, chained after the previous one. */
    TiffBuilder nextIfd() {
        ifds.add(new TreeMap<>());
        return this;
    }

    byte[] build() {
        // Layout: header, IFDs one after another, out-of-line values, pixel data.
        int position = 8;
        int[] ifdStart = new int[ifds.size()];
        for (int i = 0; i < ifds.size(); i++) {
            ifdStart[i] = position;
            position += 2 + 12 * ifds.get(i).size() + 4;
        }
        ByteArrayOutputStream values = new ByteArrayOutputStream();
        int valuesStart = position;
        List<int[]> valueOffsets = new ArrayList<>();
        for (Map<Integer, Object[]> ifd : ifds) {
            for (Object[] e : ifd.values()) {
                if (e[2] instanceof byte[] bytes && bytes.length > 4) {
                    valueOffsets.add(new int[] {valuesStart + values.size()});
                    values.writeBytes(bytes);
                    if (values.size() % 2 == 1) {
                        values.write(0);
                    }
                } else {
                    valueOffsets.add(null);
                }
            }
        }
        int pixelStart = valuesStart + values.size();
        ByteBuffer out = ByteBuffer.allocate(pixelStart + pixels.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        int v = 0;
        for (int i = 0; i < ifds.size(); i++) {
            out.position(ifdStart[i]);
            Map<Integer, Object[]> ifd = ifds.get(i);
            out.putShort((short) ifd.size());
            for (Map.Entry<Integer, Object[]> entry : ifd.entrySet()) {
                Object[] e = entry.getValue();
                out.putShort(entry.getKey().shortValue()).putShort(((Integer) e[0]).shortValue()).putInt((int) (long) (Long) e[1]);
                int[] at = valueOffsets.get(v++);
                if (entry.getKey() == 273 && e[2] instanceof byte[] b && b.length == 4) {
                    out.putInt(pixelStart);
                } else if (e[2] instanceof Long offset) {
                    out.putInt((int) (long) offset);
                } else if (at != null) {
                    out.putInt(at[0]);
                } else {
                    byte[] inline = (byte[]) e[2];
                    out.put(inline).put(new byte[4 - inline.length]);
                }
            }
            out.putInt(i + 1 < ifds.size() ? ifdStart[i + 1] : 0);
        }
        out.position(valuesStart);
        out.put(values.toByteArray());
        out.put(pixels);
        return out.array();
    }
}
