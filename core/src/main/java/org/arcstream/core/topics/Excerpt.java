package org.arcstream.core.topics;

/**
 * Record keys and values quoted in messages, cut short: a key can be as long as the topic allows
 * (megabytes), and a message that quotes it whole ends up in every log line and dead-letter header.
 */
public final class Excerpt {

    /** Characters kept of a quoted key or value. */
    public static final int MAX_CHARS = 100;

    private Excerpt() {}

    /** {@code text} in quotes, or its first {@value #MAX_CHARS} characters and its length when longer; {@code null} stays null. */
    public static String quote(String text) {
        if (text == null) {
            return "null";
        }
        if (text.length() <= MAX_CHARS) {
            return "'" + text + "'";
        }
        return "'" + text.substring(0, MAX_CHARS) + "...' (" + text.length() + " characters)";
    }
}
