package org.arcstream.core.fetch;

/**
 * Runs a test body with the {@code arcstream.npm} property (the npm command the fetcher runs) set, and
 * restores it after; shared by the tests of every package fetched through npm.
 */
public final class NpmCommand {

    /** A test body that may throw. */
    public interface Body {
        void run() throws Exception;
    }

    /** A test body with a result that may throw. */
    public interface Result<T> {
        T get() throws Exception;
    }

    private NpmCommand() {}

    public static <T> T fromNpm(String npm, Result<T> body) throws Exception {
        String previous = System.getProperty("arcstream.npm");
        System.setProperty("arcstream.npm", npm);
        try {
            return body.get();
        } finally {
            if (previous == null) {
                System.clearProperty("arcstream.npm");
            } else {
                System.setProperty("arcstream.npm", previous);
            }
        }
    }

    public static void withNpm(String npm, Body body) throws Exception {
        fromNpm(npm, () -> {
            body.run();
            return null;
        });
    }
}
