package org.arcstream.ingest;

import org.arcstream.broker.EmbeddedKafkaBroker;

/** One in-process broker for all test classes of the module (each uses topics of its own): starting one costs seconds. */
public final class SharedBroker {

    private static EmbeddedKafkaBroker broker;

    private SharedBroker() {}

    public static synchronized EmbeddedKafkaBroker get() {
        if (broker == null) {
            EmbeddedKafkaBroker started = EmbeddedKafkaBroker.start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "test-broker-shutdown"));
            broker = started;
        }
        return broker;
    }
}
