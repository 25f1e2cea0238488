package org.arcstream.trainer.data;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.arcstream.core.topics.CropPng;
import org.arcstream.core.topics.EnrollmentCodec;
import org.arcstream.core.topics.EnrollmentRecord;
import org.arcstream.core.topics.Excerpt;
import org.arcstream.core.topics.RecognitionKey;
import org.arcstream.core.topics.SampleKey;
import org.arcstream.kafka.KafkaClientConfig;
import org.arcstream.kafka.TopicScan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Training crops from the compacted enrollment topic: reads every partition from the beginning up to
 * the end offsets seen at the start (a snapshot; later enrollments wait for the next run), keeps the
 * latest value per key, honours tombstones, and skips, counting them, records it cannot use (no key,
 * a key or value that does not parse, no crop, a crop of another size or one that does not decode).
 *
 * <p>The topic is read as a stream: each crop is checked as it arrives and written to a {@link CropSpill},
 * and only a small handle per sample stays in the heap, so a gallery of any size is read with the memory
 * of one poll. Progress is logged every {@value #PROGRESS_EVERY} records.
 *
 * <p>Beside it, the compacted recognitions topic (the embedder's confident recognitions, keyed
 * {@code identityId/camera/slot}) gives crops labelled with their camera ({@link SampleRules}). Only people enrolled
 * at the time of the read are trained on: a recognition of someone whose enrollment samples are all deleted is
 * dropped before it reaches the spill, so a deleted person is never trained on, even when a tombstone of the
 * embedder's deletion has not reached a recognition yet; so is a recognition captured before the person's oldest
 * current enrollment sample (an id deleted and enrolled again does not inherit the faces kept under it before). A recognition an operator marked wrong on the labels topic
 * ({@link WrongRecognitions}) is dropped the same way.
 */
public final class EnrollmentTopicCrops {

    private static final Logger LOG = LoggerFactory.getLogger(EnrollmentTopicCrops.class);
    private static final int PROGRESS_EVERY = 5_000;

    private EnrollmentTopicCrops() {}

    /**
     * @param stall how long the topic may deliver nothing before its end is reached; a large topic takes as long as it takes
     * @param spill where the crops go; the crops returned read from it, so it stays open while they are used
     */
    public static GalleryCrops.Loaded read(KafkaClientConfig kafka, String topic, int cropSize, Duration stall, CropSpill spill) {
        return read(kafka, topic, SampleRules.enrollmentOnly(), cropSize, stall, spill);
    }

    /**
     * The enrollment topic's crops, then, as the rules say, the recognitions topic's crops of the people enrolled now
     * that no operator marked wrong, at most {@link SampleRules#perPersonCamera} per person and camera (the newest).
     * The floor of samples per person is the caller's to apply ({@link SampleRules#withEnoughSamples}).
     */
    public static GalleryCrops.Loaded read(KafkaClientConfig kafka, String topic, SampleRules rules, int cropSize, Duration stall,
            CropSpill spill) {
        Map<String, Object> config = kafka.clientConfig(Map.of(
                "enable.auto.commit", false,
                "isolation.level", "read_committed",
                "allow.auto.create.topics", false,
                "max.poll.records", 500));
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            return read(consumer, topic, rules, cropSize, stall, spill);
        }
    }

    static GalleryCrops.Loaded read(Consumer<String, byte[]> consumer, String topic, int cropSize, Duration stall, CropSpill spill) {
        return read(consumer, topic, SampleRules.enrollmentOnly(), cropSize, stall, spill);
    }

    static GalleryCrops.Loaded read(Consumer<String, byte[]> consumer, String topic, SampleRules rules, int cropSize,
            Duration stall, CropSpill spill) {
        Scan enrollment = scan(consumer, topic, cropSize, stall, spill, key -> SampleKey.parse(key).identityId(), null, null);
        String recognitionsTopic = rules.recognitionsTopic();
        if (recognitionsTopic == null) {
            return enrollment.loaded();
        }
        if (!TopicPresence.exists(consumer, recognitionsTopic)) {
            LOG.info("no recognitions topic {}: training on enrollment samples only", recognitionsTopic);
            return enrollment.loaded();
        }
        Set<String> enrolled = enrollment.identities();
        // when each person's current enrollment began: a recognition captured before it belongs to an earlier
        // enrollment under the same id, deleted since (its tombstone may not have reached that record)
        Map<String, Long> enrolledSince = new TreeMap<>();
        for (int i = 0; i < enrollment.crops().size(); i++) {
            enrolledSince.merge(enrollment.crops().get(i).identity(), enrollment.times().get(i), Math::min);
        }
        WrongRecognitions wrong = rules.labelsTopic() == null ? WrongRecognitions.none()
                : WrongRecognitions.read(consumer, rules.labelsTopic(), stall);
        Set<String> markedWrong = new TreeSet<>();
        Scan recognitions = scan(consumer, recognitionsTopic, cropSize, stall, spill, key -> RecognitionKey.parse(key).identityId(),
                key -> RecognitionKey.parse(key).camera(), (key, record) -> {
                    RecognitionKey k = RecognitionKey.parse(key);
                    if (!enrolled.contains(k.identityId())
                            || record.enrolledAtMillis() < enrolledSince.getOrDefault(k.identityId(), Long.MIN_VALUE)) {
                        return false; // deleted (or never enrolled), or seen before the person was enrolled again
                    }
                    if (wrong.marked(k.identityId(), k.camera(), record.enrolledAtMillis())) {
                        markedWrong.add(key);
                        return false;
                    }
                    return true;
                });
        List<LabeledCrop> kept = newestPerPersonAndCamera(recognitions, rules.perPersonCamera());
        List<LabeledCrop> crops = new ArrayList<>(enrollment.crops());
        crops.addAll(kept);
        // of the keys left out, those whose latest value an operator marked wrong (a later value may have replaced a marked one)
        markedWrong.retainAll(recognitions.left());
        int beyondCap = recognitions.crops().size() - kept.size();
        LOG.info("training data: {} enrollment and {} recognition crops of {} enrolled people ({} recognitions left out: {} of people "
                + "not enrolled or seen before their enrollment, {} marked wrong by an operator, {} beyond {} per person and camera)",
                enrollment.crops().size(), kept.size(), enrolled.size(), recognitions.left().size() + beyondCap,
                recognitions.left().size() - markedWrong.size(), markedWrong.size(), beyondCap, rules.perPersonCamera());
        return new GalleryCrops.Loaded(List.copyOf(crops), enrollment.skipped() + recognitions.skipped());
    }

    /** The newest {@code cap} crops of each person and camera (by capture time), so that no one camera outweighs the rest. */
    private static List<LabeledCrop> newestPerPersonAndCamera(Scan scan, int cap) {
        Map<String, List<Integer>> byPersonCamera = new TreeMap<>();
        for (int i = 0; i < scan.crops().size(); i++) {
            LabeledCrop c = scan.crops().get(i);
            byPersonCamera.computeIfAbsent(c.identity() + '\0' + c.camera(), k -> new ArrayList<>()).add(i);
        }
        List<LabeledCrop> kept = new ArrayList<>();
        for (List<Integer> indexes : byPersonCamera.values()) {
            indexes.sort(Comparator.comparingLong((Integer i) -> scan.times().get(i)).reversed());
            indexes.subList(0, Math.min(cap, indexes.size())).forEach(i -> kept.add(scan.crops().get(i)));
        }
        return kept;
    }

    /** Which of a topic's usable records become crops, given its key and decoded value. */
    @FunctionalInterface
    private interface Keep {
        boolean test(String key, EnrollmentRecord record);
    }

    /**
     * One topic's latest values as crops.
     *
     * @param identity the identity a key names (throws on a key that does not parse)
     * @param camera the camera a key names; null for a topic without cameras
     * @param keep which usable records become crops; null for all. Records it refuses never reach the spill
     */
    private static Scan scan(Consumer<String, byte[]> consumer, String topic, int cropSize, Duration stall, CropSpill spill,
            Function<String, String> identity, Function<String, String> camera, Keep keep) {
        Skips skips = new Skips();
        // per key, the latest value's crop (and its record's time) or why it gives none: a later value or a tombstone replaces either
        Map<String, LabeledCrop> crops = new TreeMap<>();
        Map<String, Long> times = new TreeMap<>();
        Map<String, String> unusable = new TreeMap<>();
        Set<String> left = new TreeSet<>();
        long[] read = {0};
        TopicScan.read(consumer, topic, stall, r -> {
            if (++read[0] % PROGRESS_EVERY == 0) {
                LOG.info("read {} records of {}: {} crops so far", read[0], topic, crops.size());
            }
            if (r.key() == null) {
                skips.add("a record without a key", r.topic() + "/" + r.partition() + "@" + r.offset());
                return;
            }
            crops.remove(r.key());
            times.remove(r.key());
            unusable.remove(r.key());
            left.remove(r.key());
            if (r.value() == null) {
                return;
            }
            String id;
            EnrollmentRecord record;
            try {
                id = identity.apply(r.key());
                record = usable(r.value(), cropSize);
            } catch (RuntimeException e) {
                unusable.put(r.key(), String.valueOf(e.getMessage()));
                return;
            }
            if (keep != null && !keep.test(r.key(), record)) {
                left.add(r.key());
                return;
            }
            crops.put(r.key(), spill.append(id, r.key(), record.cropPng(), cropSize, camera == null ? null : camera.apply(r.key())));
            times.put(r.key(), record.enrolledAtMillis());
        });
        unusable.forEach((key, reason) -> skips.add(reason, key));
        skips.log(topic);
        LOG.info("read {} records of {}: {} crops ({} MB spilled to disk), {} skipped", read[0], topic, crops.size(),
                spill.bytes() >> 20, skips.total);
        // the people enrolled: every live key counts, a sample whose crop is unusable too
        Set<String> identities = new TreeSet<>();
        crops.values().forEach(c -> identities.add(c.identity()));
        unusable.keySet().forEach(key -> {
            try {
                identities.add(identity.apply(key));
            } catch (RuntimeException e) {
                // a key that does not parse names nobody
            }
        });
        return new Scan(List.copyOf(crops.values()), List.copyOf(times.values()), skips.total, identities, Set.copyOf(left));
    }

    /**
     * @param times each crop's record time (for recognitions, the capture time), in the order of {@code crops}
     * @param left keys of live records the scan's filter left out
     */
    private record Scan(List<LabeledCrop> crops, List<Long> times, int skipped, Set<String> identities, Set<String> left) {
        GalleryCrops.Loaded loaded() {
            return new GalleryCrops.Loaded(crops, skipped);
        }
    }

    /** The sample, when its crop decodes at the size (decoded again when used); else why not. */
    private static EnrollmentRecord usable(byte[] value, int cropSize) {
        EnrollmentRecord record = EnrollmentCodec.decode(value);
        CropPng.decode(record.cropPng(), cropSize);
        return record;
    }

    /**
     * Records that give no crop, by reason. Logged as one line per run, not one per record: every run
     * reads the whole topic again, and a topic full of bad records would otherwise flood the log.
     */
    private static final class Skips {
        private final Map<String, Integer> byReason = new TreeMap<>();
        private final Map<String, String> example = new TreeMap<>();
        private int total;

        /** Counted under the reason's text up to its first quote or colon, which leaves out the key or value it names. */
        void add(String reason, String key) {
            String why = String.valueOf(reason);
            int cut = why.length();
            for (char c : new char[] {'\'', ':'}) {
                int at = why.indexOf(c);
                cut = at > 0 ? Math.min(cut, at) : cut;
            }
            String kind = why.substring(0, cut).trim();
            byReason.merge(kind, 1, Integer::sum);
            example.putIfAbsent(kind, Excerpt.quote(key) + ": " + why);
            total++;
        }

        void log(String topic) {
            if (total == 0) {
                return;
            }
            StringBuilder line = new StringBuilder();
            byReason.forEach((kind, n) -> line.append(line.length() == 0 ? "" : "; ").append(n).append(" x ").append(kind)
                    .append(" (e.g. ").append(example.get(kind)).append(')'));
            LOG.warn("skipped {} records of {} that give no training crop: {}", total, topic, line);
        }
    }
}
