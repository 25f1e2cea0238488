package org.arcstream.trainer.service;

import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** The service's runs, newest last, bounded by {@code trainer.history-size}; held in memory (reports also live in each run folder). */
@Singleton
public final class RunHistory {

    private final Map<String, RunStatus> runs = new LinkedHashMap<>();
    private final int limit;

    public RunHistory(TrainerConfig config) {
        this.limit = Math.max(1, config.historySize());
    }

    /** Adds a queued run unless one is already queued or running; returns the active run in that case. */
    synchronized Optional<RunStatus> addIfIdle(RunStatus queued) {
        Optional<RunStatus> active = runs.values().stream().filter(RunStatus::active).findFirst();
        if (active.isPresent()) {
            return active;
        }
        runs.put(queued.id(), queued);
        while (runs.size() > limit) {
            runs.remove(runs.keySet().iterator().next());
        }
        return Optional.empty();
    }

    synchronized void update(String id, UnaryOperator<RunStatus> change) {
        runs.computeIfPresent(id, (k, v) -> change.apply(v));
    }

    public synchronized Optional<RunStatus> get(String id) {
        return Optional.ofNullable(runs.get(id));
    }

    public synchronized List<RunStatus> all() {
        return new ArrayList<>(runs.values());
    }
}
