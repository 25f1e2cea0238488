package org.arcstream.demo.drill;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.arcstream.core.topics.FrameHeaders;

/**
 * Records no stage can use, for every input topic of the embedder (frames, enrollment, centroids, models,
 * active-model): garbage values, keys that are not UTF-8 or far too long, headers that are not numbers,
 * empty or huge. None names the drill's camera, so they never count as one of its frames.
 */
final class PoisonRecords {

    private PoisonRecords() {}

    /** Sends them all and waits for the broker to take each; returns how many went to each topic. */
    static Map<String, Integer> send(String bootstrap) throws Exception {
        Random random = new Random(42);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        byte[] notUtf8 = {(byte) 0xff, (byte) 0xfe, (byte) 0xc3};
        byte[] garbage = bytes(random, 3_000);
        byte[] longKey = "k".repeat(200_000).getBytes(StandardCharsets.UTF_8);

        // frames: not an image, empty, a tombstone, keys and headers nobody can read
        records.add(frame(text("poison-cam"), garbage, List.of()));
        records.add(frame(text("poison-cam"), new byte[0], List.of()));
        records.add(frame(text("poison-cam"), null, List.of()));
        records.add(frame(notUtf8, garbage, List.of()));
        records.add(frame(longKey, garbage, List.of()));
        records.add(frame(text("poison-cam"), garbage, List.of(header(FrameHeaders.SEQUENCE, text("not a number")),
                header(FrameHeaders.CAPTURE_TIMESTAMP, notUtf8), header(FrameHeaders.CAMERA, new byte[0]))));
        records.add(frame(text("poison-cam"), garbage, List.of(header("x", bytes(random, 200_000)))));
        records.add(frame(null, garbage, List.of(header(FrameHeaders.CAMERA, null))));

        // enrollment: not a sample, JSON that is not one, a key without identity/sample, an unreadable key
        for (byte[] key : List.of(text("poison/1"), text("no-slash"), notUtf8, longKey)) {
            records.add(new ProducerRecord<>("enrollment", key, garbage));
        }
        records.add(new ProducerRecord<>("enrollment", text("poison/2"), text("null")));
        records.add(new ProducerRecord<>("enrollment", text("poison/3"), text("{\"v\":1}")));

        // centroids, models, active-model: no dead-letter path; skipped and counted. (Compacted topics refuse
        // records without a key themselves.)
        records.add(new ProducerRecord<>("centroids", text("poison/model"), garbage));
        records.add(new ProducerRecord<>("centroids", notUtf8, text("null")));
        records.add(new ProducerRecord<>("models", text("0123456789ab"), text("x")));
        records.add(new ProducerRecord<>("models", text("0123456789ab"), text("null")));
        records.add(new ProducerRecord<>("models", notUtf8, garbage));
        records.add(new ProducerRecord<>("active-model", text("embedding"), text("x")));
        records.add(new ProducerRecord<>("active-model", text("embedding"), text("{\"v\":2,\"active\":\"0123456789ab\"}")));
        records.add(new ProducerRecord<>("active-model", longKey, garbage));

        Map<String, Integer> sent = new TreeMap<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 << 20), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<byte[], byte[]> r : records) {
                producer.send(r).get();
                sent.merge(r.topic(), 1, Integer::sum);
            }
        }
        return sent;
    }

    private static ProducerRecord<byte[], byte[]> frame(byte[] key, byte[] value, List<Header> headers) {
        return new ProducerRecord<>("frames", null, key, value, headers);
    }

    private static Header header(String key, byte[] value) {
        return new RecordHeader(key, value);
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
