package org.arcstream.embedder.stream;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.arcstream.core.topics.MatchRecord;

/** Keeps what the stream reported, for assertions. */
class RecordingListener implements PipelineListener {

    final AtomicInteger frames = new AtomicInteger();
    final AtomicInteger facesLocated = new AtomicInteger();
    final AtomicInteger facesEmbedded = new AtomicInteger();
    final List<Integer> batches = new CopyOnWriteArrayList<>();
    final List<MatchRecord> matches = new CopyOnWriteArrayList<>();
    final List<String> deadLetters = new CopyOnWriteArrayList<>();
    final List<String> skipped = new CopyOnWriteArrayList<>();

    @Override
    public void onFrame(String camera, int faces) {
        frames.incrementAndGet();
        facesLocated.addAndGet(faces);
    }

    @Override
    public void onBatch(int faces, long inferenceNanos) {
        if (inferenceNanos <= 0) {
            throw new AssertionError("inference time must be measured, got " + inferenceNanos);
        }
        batches.add(faces);
        facesEmbedded.addAndGet(faces);
    }

    @Override
    public void onMatch(MatchRecord match, long frameToMatchMillis) {
        matches.add(match);
    }

    @Override
    public void onDeadLetter(String stage, String reason) {
        deadLetters.add(stage + " " + reason);
    }

    @Override
    public void onSkipped(String input, String reason) {
        skipped.add(input + " " + reason);
    }

    int pendingFaces() {
        return facesLocated.get() - facesEmbedded.get();
    }
}
