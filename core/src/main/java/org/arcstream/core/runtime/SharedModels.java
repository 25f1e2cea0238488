package org.arcstream.core.runtime;

import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.ZooModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.arcstream.core.model.Sha256;

/**
 * The ONNX models loaded in this process, one ONNX Runtime session per model file content and
 * inference options, shared by every user and reference counted: the last user to let go closes the
 * session. Users run it through predictors of their own ({@link SharedModel#newPredictor}), since DJL
 * predictors are not thread-safe while ONNX Runtime sessions are. Thread-safe.
 */
public final class SharedModels {

    private static final SharedModels PROCESS = new SharedModels();

    /** What one loaded model is: its file (as first loaded), the options, and how many users hold it. */
    public record LoadedModel(Path file, String sha256, InferenceOptions options, int users) {}

    record Key(String sha256, InferenceOptions options) {}

    private static final class Entry {
        final Path file;
        final ZooModel<NDList, NDList> model;
        final boolean dynamicBatch;
        int users;

        Entry(Path file, ZooModel<NDList, NDList> model, boolean dynamicBatch) {
            this.file = file;
            this.model = model;
            this.dynamicBatch = dynamicBatch;
        }
    }

    private final Map<Key, Entry> loaded = new HashMap<>();

    SharedModels() {}

    /** The registry of this process. */
    public static SharedModels process() {
        return PROCESS;
    }

    /**
     * The model in {@code file}, loaded on first use; the same bytes with the same options give the same
     * session, whatever the path. Close the handle when done.
     *
     * @throws IllegalArgumentException for a missing or invalid model file, naming it
     */
    public SharedModel acquire(Path file, InferenceOptions options) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("model file not found: " + file);
        }
        Key key = new Key(Sha256.hex(file), options);
        // loading under the lock keeps two users from loading one model twice; loads are rare (start, hot swap)
        synchronized (this) {
            Entry entry = loaded.get(key);
            if (entry == null) {
                ZooModel<NDList, NDList> model = OnnxModels.load(file, options);
                entry = new Entry(file, model, OnnxModels.hasDynamicBatch(file));
                loaded.put(key, entry);
            }
            entry.users++;
            return new SharedModel(this, key, entry.file, entry.model, entry.dynamicBatch);
        }
    }

    synchronized void release(Key key) {
        Entry entry = loaded.get(key);
        if (entry != null && --entry.users == 0) {
            loaded.remove(key);
            entry.model.close();
        }
    }

    /** Every model loaded now, one row per session. */
    public synchronized List<LoadedModel> loaded() {
        List<LoadedModel> out = new ArrayList<>(loaded.size());
        loaded.forEach((k, e) -> out.add(new LoadedModel(e.file, k.sha256(), k.options(), e.users)));
        return out;
    }
}
