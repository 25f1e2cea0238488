package org.arcstream.ingest;

/** Points logback at the ingest module's configuration; called first thing in the entry points. */
final class Logging {

    /** Classpath resource of the configuration: not {@code logback.xml} at the root, which belongs to the application. */
    static final String CONFIGURATION = "org/arcstream/ingest/logback.xml";

    private Logging() {}

    /** Must run before the first logger is created; an explicit {@code -Dlogback.configurationFile} wins. */
    static void useIngestConfiguration() {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", CONFIGURATION);
        }
    }
}
