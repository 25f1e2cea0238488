package org.arcstream.embedder.admin;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.arcstream.core.topics.MatchRecord;

/** The latest matches the stream emitted, newest first, in a bounded buffer. */
public final class RecentMatches {

    private final int capacity;
    private final Deque<MatchRecord> matches;
    private final List<Consumer<String>> otherLogs = new CopyOnWriteArrayList<>();

    public RecentMatches(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.matches = new ArrayDeque<>(capacity);
    }

    public int capacity() {
        return capacity;
    }

    /** Keeps the match, dropping the oldest when full. */
    public synchronized void add(MatchRecord match) {
        if (matches.size() == capacity) {
            matches.removeLast();
        }
        matches.addFirst(match);
    }

    /** Drops every match of the identity (a deleted person): the API shows no trace of them afterwards. */
    public void forget(String identityId) {
        synchronized (this) {
            matches.removeIf(m -> m.identity().equals(identityId));
        }
        otherLogs.forEach(log -> log.accept(identityId));
    }

    /** Another log of matches (the console's) that forgets a deleted person whenever this one does. */
    public void forgetAlsoIn(Consumer<String> log) {
        otherLogs.add(log);
    }

    /** At most {@code limit} matches, newest first. */
    public synchronized List<MatchRecord> latest(int limit) {
        List<MatchRecord> out = new ArrayList<>(Math.min(limit, matches.size()));
        for (MatchRecord m : matches) {
            if (out.size() == limit) {
                break;
            }
            out.add(m);
        }
        return out;
    }
}
