package org.arcstream.embedder.stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.arcstream.core.config.Settings;
import org.arcstream.core.image.ImageLimits;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.topics.FrameHeaders;
import org.arcstream.core.topics.MatchCodec;
import org.arcstream.core.topics.MatchRecord;
import org.arcstream.embedder.gallery.EnrollImage;
import org.arcstream.embedder.gallery.EnrollOutcome;
import org.arcstream.embedder.gallery.EnrollmentWriter;
import org.arcstream.embedder.gallery.TopicGallery;
import org.arcstream.embedder.match.MatchThreshold;
import org.arcstream.kafka.FrameRecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * No image can stop the stream: 500 frames made by mutating real face images (truncated, bit-flipped,
 * headers overwritten, dimensions blown up, chunks duplicated or made up, empty, random) go through the
 * whole topology with the real models, and every one of them ends either matched or dead-lettered with
 * a reason; none is lost and nothing escapes the driver. The mutations come from one seeded
 * {@link Random}: a failure names the seed and the frame, and reruns the same.
 */
class ImageFuzzTest {

    /** Another seed or count for a longer hunt: {@code -Darcstream.fuzz.seed=... -Darcstream.fuzz.frames=...}. */
    private static final long SEED = Long.decode(System.getProperty("arcstream.fuzz.seed", "1"));
    private static final int FRAMES = Integer.getInteger("arcstream.fuzz.frames", 500);
    private static final TopicNames TOPICS = TopicNames.defaults();
    private static final Duration MAX_WAIT = Duration.ofMillis(50);
    /** What a bad image may be dead-lettered as: the decoder's own rejections, or no face in what it decoded. */
    private static final Set<String> EXPECTED_KINDS = Set.of("not-an-image", "corrupt-image", "oversized-image", "undersized-image", "no-face");
    /** core's WebP fixtures, from its test jar (no Java library writes WebP). */
    private static final String WEBP_FIXTURES = "/org/arcstream/core/image/webp/";

    private enum Mutation { INTACT, TRUNCATE, BIT_FLIPS, HEADER_OVERWRITE, HUGE_DIMENSIONS, EXTRA_CHUNK, EMPTY, RANDOM_BYTES }

    private record Seed(String name, String format, byte[] bytes) {
    }

    private record Frame(int index, String seed, Mutation mutation, String detail, byte[] bytes) {
        String describe() {
            return "seed=0x" + Long.toHexString(SEED) + " frame=" + index + " from " + this.seed + " " + mutation
                    + (detail.isEmpty() ? "" : " (" + detail + ")") + ", " + bytes.length + " bytes";
        }
    }

    private FacePipelinePool pipelines;
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> frames;
    private TestOutputTopic<String, byte[]> matches;
    private TestOutputTopic<String, byte[]> deadLetters;

    @BeforeEach
    void start() throws IOException {
        // the same set-up as EmbedderTopologyTest: the real models, a 1 MB frame limit, known cameras
        FacePipelineConfig defaults = FacePipelineConfig.from(Settings.load(null));
        FacePipelineConfig config = new FacePipelineConfig(defaults.detectorModel(), defaults.landmarkModel(), defaults.embedding(),
                defaults.scoreThreshold(), defaults.nmsIou(), defaults.minFaceSize(), defaults.maxFaces(), defaults.paddedRetry(),
                defaults.embedBatch(), defaults.tta(), defaults.inference(),
                new ImageLimits(1_000_000, defaults.imageLimits().maxPixels(), 16));
        pipelines = new FacePipelinePool(config);
        EmbedderSettings settings = EmbedderSettings.defaults("unused:9092", config, 0.38f)
                .withBatch(8, MAX_WAIT).withKnownCameras(Set.of("door"));
        Properties props = EmbedderTopology.streamsProperties(settings);
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("embedder-fuzz-test").toString());
        driver = new TopologyTestDriver(EmbedderTopology.build(settings, pipelines, new MatchThreshold(0.38f), new RecordingListener()), props);
        frames = driver.createInputTopic(TOPICS.frames(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        TestInputTopic<String, byte[]> enrollment =
                driver.createInputTopic(TOPICS.enrollment(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        matches = driver.createOutputTopic(TOPICS.matches(), Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        deadLetters = driver.createOutputTopic(TOPICS.deadLetter(), Serdes.String().deserializer(), Serdes.ByteArray().deserializer());

        // two enrolled people, so that the intact and lightly damaged faces are scored against real centroids
        MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        TopicGallery gallery = new TopicGallery(new EnrollmentWriter(producer, TOPICS.enrollment(), pipelines, Clock.systemUTC()),
                () -> driver.getKeyValueStore(EmbedderTopology.CENTROIDS_STORE),
                () -> Optional.of(driver.getKeyValueStore(EmbedderTopology.ENROLLMENT_SAMPLES_STORE)), Duration.ZERO);
        for (String person : List.of("Colin_Powell", "Hugo_Chavez")) {
            List<EnrollImage> images = new ArrayList<>();
            for (int n = 1; n <= 3; n++) {
                images.add(new EnrollImage(person + "/" + n, Files.readAllBytes(EmbedderTopologyTest.lfw(person, n))));
            }
            EnrollOutcome outcome = gallery.enroll(person, person.replace('_', ' '), images, OptionalInt.empty());
            assertEquals(3, outcome.acceptedSamples().size(), person + ": " + outcome.rejected());
        }
        for (ProducerRecord<String, byte[]> r : producer.history()) {
            enrollment.pipeInput(r.key(), r.value());
        }
        deadLetters.readRecordsToList();
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
        if (pipelines != null) {
            pipelines.close();
        }
    }

    @Test
    void everyMutatedImageEndsMatchedOrDeadLetteredAndNoneStopsTheStream() throws IOException {
        List<Seed> seeds = seeds();
        Random random = new Random(SEED);
        List<Frame> sent = new ArrayList<>();
        for (int i = 0; i < FRAMES; i++) {
            Frame frame = mutate(i, seeds.get(random.nextInt(seeds.size())), random);
            sent.add(frame);
            RecordHeaders headers = new RecordHeaders();
            FrameRecordHeaders.put(headers, FrameHeaders.CAMERA, "door");
            FrameRecordHeaders.put(headers, FrameHeaders.SEQUENCE, Integer.toString(i));
            FrameRecordHeaders.put(headers, FrameHeaders.CAPTURE_TIMESTAMP, "1763000000000");
            assertDoesNotThrow(() -> frames.pipeInput(new TestRecord<>("door", frame.bytes(), headers)), frame::describe);
            if (i % 25 == 24) {
                // the wall clock embeds waiting partial batches now and then, as a running instance does
                assertDoesNotThrow(() -> driver.advanceWallClockTime(MAX_WAIT), frame::describe);
            }
        }
        assertDoesNotThrow(() -> driver.advanceWallClockTime(Duration.ofSeconds(1)), "final flush, seed=0x" + Long.toHexString(SEED));

        // frame index -> what came out for it
        Map<Integer, List<String>> matchedIdentities = new HashMap<>();
        for (byte[] value : matches.readValuesToList()) {
            MatchRecord m = MatchCodec.decode(value);
            matchedIdentities.computeIfAbsent((int) m.sequence(), k -> new ArrayList<>()).add(m.identity());
        }
        Map<Integer, List<String>> deadReasons = new HashMap<>();
        for (TestRecord<String, byte[]> letter : deadLetters.readRecordsToList()) {
            String reason = FrameRecordHeaders.string(letter.headers(), DeadLetters.REASON);
            String sequence = FrameRecordHeaders.string(letter.headers(), FrameHeaders.SEQUENCE);
            assertNotNull(sequence, "a dead letter without the frame's headers: " + reason);
            assertNotNull(reason, "a dead letter without a reason, frame " + sequence);
            assertTrue(reason.indexOf(':') > 0, "reason without a kind: " + reason);
            deadReasons.computeIfAbsent(Integer.parseInt(sequence), k -> new ArrayList<>()).add(reason);
        }

        Map<String, Integer> byOutcome = new TreeMap<>();
        Map<Mutation, Integer> byMutation = new TreeMap<>();
        int matched = 0;
        int deadLettered = 0;
        for (Frame frame : sent) {
            byMutation.merge(frame.mutation(), 1, Integer::sum);
            List<String> identities = matchedIdentities.remove(frame.index());
            List<String> reasons = deadReasons.remove(frame.index());
            if (identities != null && reasons == null) {
                matched++;
                byOutcome.merge("matched", 1, Integer::sum);
            } else if (identities == null && reasons != null) {
                assertEquals(1, reasons.size(), "one dead letter per frame: " + frame.describe() + ": " + reasons);
                deadLettered++;
                // "unprocessable" is the frame embedder's last guard: an exception that escaped the decoder or the models
                String kind = reasons.get(0).substring(0, reasons.get(0).indexOf(':'));
                assertTrue(EXPECTED_KINDS.contains(kind), "rejected for an unexpected reason: " + frame.describe() + ": " + reasons.get(0));
                byOutcome.merge("dead-letter " + kind, 1, Integer::sum);
            } else if (identities == null) {
                fail("frame lost, neither matched nor dead-lettered: " + frame.describe());
            } else {
                fail("frame both matched " + identities + " and dead-lettered " + reasons + ": " + frame.describe());
            }
        }
        assertTrue(matchedIdentities.isEmpty(), "matches for frames never sent: " + matchedIdentities.keySet());
        assertTrue(deadReasons.isEmpty(), "dead letters for frames never sent: " + deadReasons.keySet());
        System.out.printf("image fuzz, seed=0x%x: %d frames, %d matched, %d dead-lettered; mutations %s; outcomes %s%n",
                SEED, FRAMES, matched, deadLettered, byMutation, byOutcome);
        assertEquals(FRAMES, matched + deadLettered, "seed=0x" + Long.toHexString(SEED));
        assertTrue(matched > 0 && deadLettered > 0, "some of each: " + byOutcome);
    }

    // ---- seeds: a few real faces (and one non-face) in every format the decoder reads

    private static List<Seed> seeds() throws IOException {
        List<Seed> seeds = new ArrayList<>();
        for (String person : List.of("Colin_Powell", "Hugo_Chavez", "Tony_Blair")) {
            byte[] jpeg = Files.readAllBytes(EmbedderTopologyTest.lfw(person, 8));
            String name = person + "_8";
            seeds.add(new Seed(name + ".jpg", "jpeg", jpeg));
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
            for (String format : List.of("png", "bmp", "gif", "tiff")) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
                rgb.getGraphics().drawImage(image, 0, 0, null);
                assertTrue(ImageIO.write(rgb, format, out), "no ImageIO writer for " + format);
                seeds.add(new Seed(name + "." + format, format, out.toByteArray()));
            }
        }
        for (String webp : List.of("Colin_Powell_0001-lossless.webp", "gradient-lossy.webp")) {
            try (InputStream in = ImageFuzzTest.class.getResourceAsStream(WEBP_FIXTURES + webp)) {
                assertNotNull(in, webp);
                seeds.add(new Seed(webp, "webp", in.readAllBytes()));
            }
        }
        return seeds;
    }

    // ---- mutations

    private static Frame mutate(int index, Seed seed, Random random) {
        Mutation mutation = Mutation.values()[random.nextInt(Mutation.values().length)];
        byte[] b = seed.bytes().clone();
        return switch (mutation) {
            case INTACT -> new Frame(index, seed.name(), mutation, "", b);
            case TRUNCATE -> {
                int at = random.nextInt(b.length);
                yield new Frame(index, seed.name(), mutation, "at " + at, Arrays.copyOf(b, at));
            }
            case BIT_FLIPS -> {
                int flips = 1 + random.nextInt(50);
                for (int f = 0; f < flips; f++) {
                    int at = random.nextInt(b.length);
                    b[at] ^= (byte) (1 << random.nextInt(8));
                }
                yield new Frame(index, seed.name(), mutation, flips + " bits", b);
            }
            case HEADER_OVERWRITE -> {
                int n = 1 + random.nextInt(Math.min(64, b.length));
                int from = random.nextInt(Math.min(64, b.length) - n + 1);
                for (int at = from; at < from + n; at++) {
                    b[at] = (byte) random.nextInt(256);
                }
                yield new Frame(index, seed.name(), mutation, "bytes " + from + ".." + (from + n - 1), b);
            }
            case HUGE_DIMENSIONS -> hugeDimensions(index, seed, b, random);
            case EXTRA_CHUNK -> extraChunk(index, seed, b, random);
            case EMPTY -> new Frame(index, seed.name(), mutation, "", new byte[0]);
            case RANDOM_BYTES -> {
                byte[] noise = new byte[random.nextInt(64 * 1024)];
                random.nextBytes(noise);
                // half of them start like a real image, so that they get past format sniffing
                if (random.nextBoolean() && noise.length > 16) {
                    System.arraycopy(seed.bytes(), 0, noise, 0, 16);
                }
                yield new Frame(index, seed.name(), mutation, "", noise);
            }
        };
    }

    private static final int[] HUGE = {Integer.MAX_VALUE, 0x7fff_fff0, 0x10000, 65_535, 1 << 20, 100_000, -1, 0, Integer.MIN_VALUE};

    /** Width and height fields rewritten: PNG's IHDR (with and without a matching CRC) and BMP's info header. */
    private static Frame hugeDimensions(int index, Seed seed, byte[] b, Random random) {
        int width = random.nextBoolean() ? HUGE[random.nextInt(HUGE.length)] : 250;
        int height = random.nextBoolean() || width == 250 ? HUGE[random.nextInt(HUGE.length)] : 250;
        String detail = width + "x" + height;
        switch (seed.format()) {
            case "png" -> {
                ByteBuffer buf = ByteBuffer.wrap(b); // IHDR: length 8, type 12, width 16, height 20, ..., CRC 29
                buf.putInt(16, width).putInt(20, height);
                if (random.nextBoolean()) {
                    CRC32 crc = new CRC32();
                    crc.update(b, 12, 17);
                    buf.putInt(29, (int) crc.getValue());
                    detail += ", CRC fixed";
                }
            }
            case "bmp" -> { // BITMAPINFOHEADER: width at 18, height at 22, little-endian; a negative height is top-down
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(18, width).putInt(22, height);
            }
            case "gif" -> { // logical screen 6, first image descriptor after the colour table: only the screen here
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(6, (short) width).putShort(8, (short) height);
            }
            default -> { // JPEG, TIFF, WebP: the same bytes at the first place a big-endian size could be
                int at = 4 + random.nextInt(Math.max(1, Math.min(64, b.length) - 8));
                ByteBuffer.wrap(b).putInt(at, width).putInt(at + 4 <= b.length - 4 ? at + 4 : at, height);
                detail += " at " + at;
            }
        }
        return new Frame(index, seed.name(), Mutation.HUGE_DIMENSIONS, detail, b);
    }

    /** A chunk or segment repeated, or a made-up one, put where a decoder reads chunks. */
    private static Frame extraChunk(int index, Seed seed, byte[] b, Random random) {
        byte[] garbage = new byte[random.nextInt(2048)];
        random.nextBytes(garbage);
        return switch (seed.format()) {
            case "png" -> {
                // after IHDR (8 + 25 bytes): IHDR again, or a chunk of random type and contents (bad CRC)
                byte[] chunk = random.nextBoolean() ? Arrays.copyOfRange(b, 8, 33) : pngChunk(random, garbage);
                yield new Frame(index, seed.name(), Mutation.EXTRA_CHUNK, "png chunk of " + chunk.length, insert(b, 33, chunk));
            }
            case "jpeg" -> {
                // after SOI: an APPn of random contents, or one whose length runs past the data
                ByteBuffer seg = ByteBuffer.allocate(4 + garbage.length);
                int length = random.nextBoolean() ? garbage.length + 2 : random.nextInt(65_536);
                seg.put((byte) 0xff).put((byte) (0xe0 + random.nextInt(16))).putShort((short) length).put(garbage);
                yield new Frame(index, seed.name(), Mutation.EXTRA_CHUNK, "APPn length " + length, insert(b, 2, seg.array()));
            }
            case "webp" -> {
                // after "RIFF size WEBP": a repeat of the first chunk or a random one; the RIFF size then fixed, or not
                byte[] chunk = random.nextBoolean() ? Arrays.copyOfRange(b, 12, Math.min(b.length, 12 + 8 + garbage.length)) : riffChunk(random, garbage);
                byte[] out = insert(b, 12, chunk);
                if (random.nextBoolean()) {
                    ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(4, out.length - 8);
                }
                yield new Frame(index, seed.name(), Mutation.EXTRA_CHUNK, "riff chunk of " + chunk.length, out);
            }
            default -> {
                // BMP, GIF, TIFF: the data doubled or random bytes in the middle
                int at = 1 + random.nextInt(b.length - 1);
                byte[] chunk = random.nextBoolean() ? Arrays.copyOfRange(b, 0, Math.min(b.length, garbage.length + 16)) : garbage;
                yield new Frame(index, seed.name(), Mutation.EXTRA_CHUNK, chunk.length + " bytes at " + at, insert(b, at, chunk));
            }
        };
    }

    private static byte[] pngChunk(Random random, byte[] data) {
        ByteBuffer chunk = ByteBuffer.allocate(12 + data.length);
        chunk.putInt(random.nextInt(4) == 0 ? random.nextInt() : data.length);
        for (int i = 0; i < 4; i++) {
            chunk.put((byte) ((random.nextBoolean() ? 'a' : 'A') + random.nextInt(26)));
        }
        chunk.put(data).putInt(random.nextInt());
        return chunk.array();
    }

    private static byte[] riffChunk(Random random, byte[] data) {
        ByteBuffer chunk = ByteBuffer.allocate(8 + data.length).order(ByteOrder.LITTLE_ENDIAN);
        String[] types = {"VP8 ", "VP8L", "VP8X", "ALPH", "ICCP", "EXIF", "ANIM", "ANMF", "junk"};
        chunk.put(types[random.nextInt(types.length)].getBytes(StandardCharsets.US_ASCII));
        chunk.putInt(random.nextInt(4) == 0 ? random.nextInt() : data.length).put(data);
        return chunk.array();
    }

    private static byte[] insert(byte[] b, int at, byte[] chunk) {
        int where = Math.min(at, b.length);
        byte[] out = new byte[b.length + chunk.length];
        System.arraycopy(b, 0, out, 0, where);
        System.arraycopy(chunk, 0, out, where, chunk.length);
        System.arraycopy(b, where, out, where + chunk.length, b.length - where);
        return out;
    }
}
