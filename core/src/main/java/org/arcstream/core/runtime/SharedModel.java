package org.arcstream.core.runtime;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.Translator;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One user's hold on a model of {@link SharedModels}: predictors for that user, and the release of the
 * hold on {@link #close()} (once; a second close does nothing).
 */
public final class SharedModel implements AutoCloseable {

    private final SharedModels owner;
    private final SharedModels.Key key;
    private final Path file;
    private final ZooModel<NDList, NDList> model;
    private final boolean dynamicBatch;
    private final AtomicBoolean closed = new AtomicBoolean();

    SharedModel(SharedModels owner, SharedModels.Key key, Path file, ZooModel<NDList, NDList> model, boolean dynamicBatch) {
        this.owner = owner;
        this.key = key;
        this.file = file;
        this.model = model;
        this.dynamicBatch = dynamicBatch;
    }

    /** A predictor of its own for one thread at a time; close it before the model. */
    public <I, O> Predictor<I, O> newPredictor(Translator<I, O> translator) {
        if (closed.get()) {
            throw new IllegalStateException("model " + file + " was released");
        }
        return model.newPredictor(translator);
    }

    /** True when the model's first input has a free (symbolic) leading dimension. */
    public boolean dynamicBatch() {
        return dynamicBatch;
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            owner.release(key);
        }
    }
}
