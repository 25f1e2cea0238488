package org.arcstream.trainer.finetune;

import org.arcstream.trainer.store.ModelDraft;

/** Where an accepted model goes: the store alone, or the store and the models topic. Returns the version. */
@FunctionalInterface
public interface ModelSink {

    String publish(ModelDraft draft);
}
