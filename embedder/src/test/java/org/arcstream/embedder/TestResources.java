package org.arcstream.embedder;

/** Tear-down shared by the broker tests. */
public final class TestResources {

    private TestResources() {}

    /** Closes each one that is set, in order; a failure is printed and does not keep the others open. */
    public static void closeAll(AutoCloseable... resources) {
        for (AutoCloseable c : resources) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                System.err.println("closing " + c + ": " + e);
            }
        }
    }
}
