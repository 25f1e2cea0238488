package org.arcstream.embedder.console;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** The latest dead letters (their dlq.* headers, not their payload), newest first. */
public final class DeadLetterLog {

    /** One dead letter as the console shows it. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    public record DeadLetter(long timestamp, @Nullable String key, @Nullable String stage, @Nullable String reason,
            @Nullable String topic, @Nullable String partition, @Nullable String offset, @Nullable String size) {}

    private final int capacity;
    private final Deque<DeadLetter> letters;

    public DeadLetterLog(int capacity) {
        this.capacity = capacity;
        this.letters = new ArrayDeque<>(capacity);
    }

    public synchronized void add(DeadLetter letter) {
        if (letters.size() == capacity) {
            letters.removeLast();
        }
        letters.addFirst(letter);
    }

    public synchronized List<DeadLetter> latest() {
        return List.copyOf(letters);
    }
}
