package org.arcstream.embedder.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.arcstream.core.align.FivePoints;
import org.arcstream.core.align.Point2;
import org.arcstream.core.detect.FaceBox;
import org.arcstream.core.embed.TestTimeAugmentation;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.pipeline.Face;
import org.arcstream.core.topics.FrameRef;

/**
 * A located and aligned face waiting for its embedding batch, with everything needed to emit its
 * records later: the frame's key, timestamp and headers. Stored in the pending-faces store, so its
 * binary form (internal to the embedder, but versioned like every value) is part of the changelog.
 *
 * @param arrivedAtMillis wall-clock time the face joined the batch, for the batch's time bound
 */
record PendingFace(String key, long timestamp, Headers headers, FrameRef frame, long captureMillis, Face face,
        long arrivedAtMillis) {

    /** 2 adds the crop's margin for shifted test-time views; version 1 values (no margin) are still read. */
    private static final byte VERSION = 2;

    byte[] encode() {
        byte[] k = utf8(key == null ? "" : key);
        byte[] camera = utf8(frame.camera());
        List<byte[]> headerBytes = new ArrayList<>();
        int headerSize = 0;
        for (Header h : headers.toArray()) {
            byte[] name = utf8(h.key());
            byte[] value = h.value() == null ? new byte[0] : h.value();
            headerBytes.add(name);
            headerBytes.add(value);
            headerSize += 8 + name.length + value.length;
        }
        // with a margin only the larger crop is kept: the aligned crop is its centre
        RgbImage crop = face.withMargin() != null ? face.withMargin() : face.aligned();
        int margin = face.withMargin() != null ? (crop.width() - face.aligned().width()) / 2 : 0;
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + 1 + 4 + k.length + 8 + 4 + headerSize + 4 + camera.length + 8 + 4 + 8 + 8
                + 4 + 20 + 40 + 4 + 8 + crop.pixels().length);
        b.put(VERSION).putLong(arrivedAtMillis);
        b.put((byte) (key == null ? 0 : 1)).putInt(k.length).put(k);
        b.putLong(timestamp);
        b.putInt(headerBytes.size() / 2);
        for (byte[] part : headerBytes) {
            b.putInt(part.length).put(part);
        }
        b.putInt(camera.length).put(camera).putLong(frame.sequence()).putInt(frame.partition()).putLong(frame.offset());
        b.putLong(captureMillis);
        b.putInt(face.index());
        FaceBox box = face.box();
        b.putFloat(box.x1()).putFloat(box.y1()).putFloat(box.x2()).putFloat(box.y2()).putFloat(box.score());
        for (float v : face.landmarks().toArray()) {
            b.putFloat(v);
        }
        b.putInt(margin).putInt(crop.width()).putInt(crop.height()).put(crop.pixels());
        return b.array();
    }

    static PendingFace decode(byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data);
        byte version = b.get();
        if (version != 1 && version != VERSION) {
            throw new IllegalStateException("pending face written by an incompatible version");
        }
        long arrived = b.getLong();
        boolean hasKey = b.get() == 1;
        String key = string(b);
        long timestamp = b.getLong();
        int headerCount = b.getInt();
        Headers headers = new RecordHeaders();
        for (int i = 0; i < headerCount; i++) {
            String name = string(b);
            headers.add(name, bytes(b));
        }
        FrameRef frame = new FrameRef(string(b), b.getLong(), b.getInt(), b.getLong());
        long capture = b.getLong();
        int index = b.getInt();
        FaceBox box = new FaceBox(b.getFloat(), b.getFloat(), b.getFloat(), b.getFloat(), b.getFloat());
        Point2[] p = new Point2[5];
        for (int i = 0; i < 5; i++) {
            p[i] = new Point2(b.getFloat(), b.getFloat());
        }
        int margin = version == 1 ? 0 : b.getInt();
        int width = b.getInt(), height = b.getInt();
        byte[] pixels = new byte[3 * width * height];
        b.get(pixels);
        RgbImage crop = new RgbImage(width, height, pixels);
        FivePoints five = new FivePoints(p[0], p[1], p[2], p[3], p[4]);
        Face face = margin == 0 ? new Face(index, box, five, crop, null)
                : new Face(index, box, five, centre(crop, margin), crop, null);
        return new PendingFace(hasKey ? key : null, timestamp, headers, frame, capture, face, arrived);
    }

    private static RgbImage centre(RgbImage withMargin, int margin) {
        int size = withMargin.width() - 2 * margin;
        return new TestTimeAugmentation(false, margin).centre(withMargin, size);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.getInt()];
        b.get(out);
        return out;
    }

    private static String string(ByteBuffer b) {
        return new String(bytes(b), StandardCharsets.UTF_8);
    }
}
