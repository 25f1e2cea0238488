package org.arcstream.embedder.console;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.arcstream.core.topics.FaceEmbeddingRecord;
import org.arcstream.core.topics.MatchRecord;

/**
 * Recent faces nobody was matched to, with their embeddings (from the {@code faces} topic), grouped by
 * similarity so that an operator can name a person who keeps coming back, or dismiss the group.
 */
public final class UnknownFaces {

    /** Which face of which frame. */
    public record FaceKey(String camera, long sequence, int face) {}

    /** An unknown face: its match record and its embedding. */
    public record Face(MatchRecord match, float[] embedding) {
        public FaceKey key() {
            return new FaceKey(match.camera(), match.sequence(), match.face());
        }
    }

    private final int capacity;
    /** Embeddings of recent faces, waiting for their match (the two topics are read independently). */
    private final LinkedHashMap<FaceKey, FaceEmbeddingRecord> embeddings;
    private final LinkedHashMap<FaceKey, MatchRecord> unknown;
    private final Set<FaceKey> dismissed = new HashSet<>();

    public UnknownFaces(int capacity) {
        this.capacity = capacity;
        this.embeddings = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<FaceKey, FaceEmbeddingRecord> eldest) {
                return size() > 4 * UnknownFaces.this.capacity;
            }
        };
        this.unknown = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<FaceKey, MatchRecord> eldest) {
                return size() > UnknownFaces.this.capacity;
            }
        };
    }

    public synchronized void face(FaceEmbeddingRecord face) {
        embeddings.put(new FaceKey(face.frame().camera(), face.frame().sequence(), face.faceIndex()), face);
    }

    public synchronized void match(MatchRecord match) {
        if (!match.known()) {
            unknown.put(new FaceKey(match.camera(), match.sequence(), match.face()), match);
        }
    }

    public synchronized Optional<float[]> embedding(FaceKey key) {
        return Optional.ofNullable(embeddings.get(key)).map(FaceEmbeddingRecord::embedding);
    }

    /** Takes faces out of review: dismissed, or named (enrolled). */
    public synchronized void dismiss(List<FaceKey> keys) {
        for (FaceKey key : keys) {
            unknown.remove(key);
            dismissed.add(key);
        }
    }

    /**
     * Groups the unknown faces with an embedding, newest first, greedily: a face joins the first group whose
     * first face it matches at or above {@code threshold} within the same model version, else starts one.
     * Largest groups first.
     */
    public List<List<Face>> groups(float threshold) {
        List<Face> faces = new ArrayList<>();
        synchronized (this) {
            for (Map.Entry<FaceKey, MatchRecord> e : unknown.entrySet()) {
                FaceEmbeddingRecord face = embeddings.get(e.getKey());
                if (face != null && !dismissed.contains(e.getKey()) && face.modelVersion().equals(e.getValue().modelVersion())) {
                    faces.add(0, new Face(e.getValue(), face.embedding()));
                }
            }
        }
        List<List<Face>> groups = new ArrayList<>();
        for (Face face : faces) {
            List<Face> home = null;
            for (List<Face> group : groups) {
                Face first = group.get(0);
                if (first.match().modelVersion().equals(face.match().modelVersion())
                        && cosine(first.embedding(), face.embedding()) >= threshold) {
                    home = group;
                    break;
                }
            }
            if (home == null) {
                home = new ArrayList<>();
                groups.add(home);
            }
            home.add(face);
        }
        groups.sort((a, b) -> Integer.compare(b.size(), a.size()));
        return groups;
    }

    /** Embeddings are L2-normalized: the cosine is the dot product. */
    private static float cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            return -1f;
        }
        float dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }
}
