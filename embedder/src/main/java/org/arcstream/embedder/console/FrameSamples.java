package org.arcstream.embedder.console;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The latest camera frames, bounded in count and bytes, for the camera grid and the face crops of the
 * live view. Oldest frames go first, except that each camera's latest frame stays while it is the latest.
 */
public final class FrameSamples {

    /** A frame as it came from the camera. */
    public record Frame(String camera, long sequence, long capturedAt, String contentType, byte[] bytes) {}

    private record Key(String camera, long sequence) {}

    private final int maxFrames;
    private final long maxBytes;
    private final LinkedHashMap<Key, Frame> frames = new LinkedHashMap<>();
    private final Map<String, Frame> latest = new TreeMap<>();
    private long bytes;

    public FrameSamples(int maxFrames, long maxBytes) {
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
    }

    public synchronized void add(Frame frame) {
        if (frame.bytes().length > maxBytes) {
            return;
        }
        Frame replaced = frames.put(new Key(frame.camera(), frame.sequence()), frame);
        if (replaced != null) {
            bytes -= replaced.bytes().length;
        }
        bytes += frame.bytes().length;
        latest.put(frame.camera(), frame);
        // each camera's latest frame stays, so that the camera grid shows every camera
        Iterator<Frame> oldest = frames.values().iterator();
        while ((frames.size() > maxFrames || bytes > maxBytes) && oldest.hasNext()) {
            Frame f = oldest.next();
            if (latest.get(f.camera()) != f) {
                oldest.remove();
                bytes -= f.bytes().length;
            }
        }
    }

    public synchronized Optional<Frame> get(String camera, long sequence) {
        return Optional.ofNullable(frames.get(new Key(camera, sequence)));
    }

    /** Each camera's latest frame, by camera id. */
    public synchronized List<Frame> latestPerCamera() {
        return new ArrayList<>(latest.values());
    }
}
