package org.arcstream.embedder.console;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.arcstream.core.topics.MatchRecord;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The latest matches read from the {@code matches} topic, kept for the console, and the live feed of new ones.
 * One thread adds; any thread reads.
 */
public final class MatchLog {

    /** Matches a new live subscriber is given first, so that the page does not start empty. */
    static final int REPLAY = 50;

    /** Deleted people remembered, so that their older matches still on their way through the topic stay out. */
    private static final int FORGOTTEN = 10_000;

    private final int capacity;
    private final Deque<MatchRecord> matches;
    private final Sinks.Many<MatchRecord> live = Sinks.many().replay().limit(REPLAY);
    /** Identity to the wall-clock time it was deleted; matches captured before it are not shown. */
    private final Map<String, Long> forgotten = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > FORGOTTEN;
        }
    };

    public MatchLog(int capacity) {
        this.capacity = capacity;
        this.matches = new ArrayDeque<>(capacity);
    }

    public void add(MatchRecord match) {
        synchronized (this) {
            if (!shown(match)) {
                return;
            }
            if (matches.size() == capacity) {
                matches.removeLast();
            }
            matches.addFirst(match);
        }
        live.tryEmitNext(match);
    }

    /** The last matches (up to {@value #REPLAY}), then every new one as it is read. */
    public Flux<MatchRecord> live() {
        return live.asFlux().filter(this::shownNow);
    }

    /**
     * Drops every kept match of a deleted person, and keeps out those captured before {@code deletedMillis} that
     * are still read from the topic afterwards.
     */
    public synchronized void forget(String identity, long deletedMillis) {
        forgotten.put(identity, deletedMillis);
        matches.removeIf(m -> m.identity().equals(identity));
    }

    private synchronized boolean shownNow(MatchRecord match) {
        return shown(match);
    }

    private boolean shown(MatchRecord match) {
        Long deleted = forgotten.get(match.identity());
        return deleted == null || match.capturedAt() > deleted;
    }

    /** Kept matches that pass the filter, newest first, at most {@code limit}. */
    public synchronized List<MatchRecord> latest(Predicate<MatchRecord> filter, int limit) {
        List<MatchRecord> out = new ArrayList<>();
        for (MatchRecord m : matches) {
            if (out.size() == limit) {
                break;
            }
            if (filter.test(m)) {
                out.add(m);
            }
        }
        return out;
    }

    /** How often each camera saw the identity among the kept matches. */
    public synchronized Map<String, Integer> countsByCamera(String identity) {
        Map<String, Integer> counts = new TreeMap<>();
        for (MatchRecord m : matches) {
            if (m.identity().equals(identity)) {
                counts.merge(m.camera(), 1, Integer::sum);
            }
        }
        return counts;
    }

    public void close() {
        live.tryEmitComplete();
    }
}
