package org.arcstream.embedder.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** The model versions this instance knows, with their state; thread-safe. */
public final class ModelCatalog {

    private final Map<String, ModelEntry> entries = new LinkedHashMap<>();

    /** Adds a version, or keeps the known entry (an event read again after a restart changes nothing). */
    public synchronized ModelEntry add(ModelEntry entry) {
        return entries.computeIfAbsent(entry.version(), v -> entry);
    }

    public synchronized Optional<ModelEntry> get(String version) {
        return Optional.ofNullable(entries.get(version));
    }

    synchronized ModelEntry update(String version, UnaryOperator<ModelEntry> change) {
        ModelEntry next = change.apply(entries.get(version));
        entries.put(version, next);
        return next;
    }

    /** Every version, oldest first. */
    public synchronized List<ModelEntry> all() {
        List<ModelEntry> list = new ArrayList<>(entries.values());
        list.sort(Comparator.comparingLong(ModelEntry::createdMillis).thenComparing(ModelEntry::version));
        return list;
    }

    public synchronized Optional<ModelEntry> inState(ModelState state) {
        return entries.values().stream().filter(e -> e.state() == state).findFirst();
    }
}
