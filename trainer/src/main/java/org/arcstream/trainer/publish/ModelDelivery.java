package org.arcstream.trainer.publish;

import java.net.URI;
import org.arcstream.trainer.store.StoredModel;

/**
 * Puts a stored model where the embedders fetch it from, before its event is sent: the location it returns is the one
 * the event carries. The store stays the source of truth: a delivery may be repeated for the same model at any time.
 */
@FunctionalInterface
public interface ModelDelivery {

    /** The store's own location ({@code file:} or the trainer's HTTP endpoint): nothing to copy. */
    ModelDelivery FROM_STORE = StoredModel::location;

    /** @throws PublishException when the model cannot be delivered; no event must be sent then */
    URI deliver(StoredModel model);
}
