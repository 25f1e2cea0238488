package org.arcstream.core.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The one JSON writer of command output (Jackson): one object per line, or indented for reports read by people. */
public final class Json {

    private static final ObjectMapper LINE = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {}

    /** {@code value} as JSON on one line (JSON Lines, {@code --json} summaries). */
    public static String line(Object value) {
        return write(LINE, value);
    }

    /** {@code value} as indented JSON (report files, the trainer's {@code --json}). */
    public static String pretty(Object value) {
        return write(PRETTY, value);
    }

    private static String write(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON: " + e.getMessage(), e);
        }
    }
}
