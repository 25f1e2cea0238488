package org.arcstream.embedder.gallery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.arcstream.core.enroll.Enroller;
import org.arcstream.core.enroll.EnrollmentRejectedException;
import org.arcstream.core.enroll.EnrollmentSample;
import org.arcstream.core.image.ImageDecodeException;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.pipeline.FacePipeline;
import org.arcstream.core.topics.CropPng;
import org.arcstream.core.topics.EnrollmentCodec;
import org.arcstream.core.topics.EnrollmentRecord;
import org.arcstream.core.topics.SampleKey;
import org.arcstream.embedder.stream.FacePipelinePool;
import org.arcstream.embedder.stream.PipelinesBusyException;

/**
 * Writes enrollment samples and their tombstones to the enrollment topic. Images are decoded with
 * the pipeline's decoder and enrolled by {@link Enroller} (one face per image unless a face index
 * is given); a rejected image is reported with its reason and does not stop the others.
 *
 * <p>Sample ids are a digest of the image bytes and the chosen face. An image whose sample the identity
 * already has (the caller says which samples it has), or that comes twice in one request, is reported as
 * a duplicate of that sample and nothing is written for it: the same bytes give the same crop and the same
 * embedding, so a second copy would add nothing. An image without a face index and the same image with
 * face 0 are the same sample: without an index the image must show exactly one face, which is face 0.
 * Thread-safe.
 */
public final class EnrollmentWriter {

    private static final long SEND_TIMEOUT_SECONDS = 30;

    private final Producer<String, byte[]> producer;
    private final String enrollmentTopic;
    private final FacePipelinePool pipelines;
    private final Clock clock;

    public EnrollmentWriter(Producer<String, byte[]> producer, String enrollmentTopic, FacePipelinePool pipelines, Clock clock) {
        this.producer = producer;
        this.enrollmentTopic = enrollmentTopic;
        this.pipelines = pipelines;
        this.clock = clock;
    }

    /** The model version of the embeddings this writer makes. */
    public String modelVersion() {
        return pipelines.modelVersion();
    }

    /** {@link #enroll(String, String, List, OptionalInt, Set)} without checking against samples already enrolled. */
    public EnrollOutcome enroll(String identityId, String name, List<EnrollImage> images, OptionalInt faceIndex) {
        return enroll(identityId, name, images, faceIndex, Set.of());
    }

    /**
     * Enrolls the accepted images and waits until Kafka has them; {@link GalleryUnavailableException} when it cannot.
     *
     * @param enrolled the ids of the identity's samples already enrolled: an image with one of them is a duplicate
     */
    public EnrollOutcome enroll(String identityId, String name, List<EnrollImage> images, OptionalInt faceIndex, Set<String> enrolled) {
        SampleKey.checkIdentityId(identityId);
        String displayName = name == null || name.isBlank() ? identityId : name.strip();
        Map<String, EnrollmentRecord> samples = new LinkedHashMap<>();
        List<EnrollOutcome.Duplicate> duplicates = new ArrayList<>();
        List<EnrollOutcome.Rejection> rejected = new ArrayList<>();
        FacePipeline pipeline;
        try {
            pipeline = pipelines.borrowForRequest();
        } catch (PipelinesBusyException e) {
            throw new GalleryUnavailableException("enrollment of " + identityId + " found no free face pipeline: " + e.getMessage(), e);
        }
        try {
            Enroller enroller = new Enroller(pipeline);
            for (EnrollImage image : images) {
                String source = image.source() == null ? "image" : image.source();
                try {
                    if (image.bytes() == null) {
                        throw new ImageDecodeException(ImageDecodeException.Reason.EMPTY, "no image data");
                    }
                    String sampleId = sampleId(image.bytes(), faceIndex);
                    Optional<String> existing = sameSample(image.bytes(), faceIndex).stream()
                            .filter(id -> enrolled.contains(id) || samples.containsKey(id)).findFirst();
                    if (existing.isPresent()) {
                        duplicates.add(new EnrollOutcome.Duplicate(source, existing.get()));
                        continue;
                    }
                    RgbImage decoded = pipeline.decoder().decode(image.bytes());
                    EnrollmentSample s = enroller.enroll(identityId, source, decoded, faceIndex);
                    samples.put(sampleId, new EnrollmentRecord(identityId, displayName, source, clock.millis(),
                            CropPng.encode(s.alignedCrop()), Map.of(s.modelVersion(), s.embedding())));
                } catch (ImageDecodeException e) {
                    rejected.add(new EnrollOutcome.Rejection(source, withoutPrefix(e.getMessage(), source), true));
                } catch (EnrollmentRejectedException e) {
                    rejected.add(new EnrollOutcome.Rejection(source, withoutPrefix(e.getMessage(), source)));
                }
            }
        } finally {
            pipelines.release(pipeline);
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        samples.forEach((sampleId, record) -> sent.add(producer.send(new ProducerRecord<>(enrollmentTopic,
                new SampleKey(identityId, sampleId).toString(), EnrollmentCodec.encode(record)))));
        awaitAll(sent, "enrollment of " + identityId);
        return new EnrollOutcome(identityId, List.copyOf(samples.keySet()), duplicates, rejected);
    }

    /** Tombstones for the given samples of an identity, waited for like an enrollment. */
    public void delete(String identityId, Collection<String> sampleIds) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (String sampleId : sampleIds) {
            sent.add(producer.send(new ProducerRecord<>(enrollmentTopic, new SampleKey(identityId, sampleId).toString(), null)));
        }
        awaitAll(sent, "deletion of " + identityId);
    }

    private void awaitAll(List<Future<RecordMetadata>> sent, String what) {
        producer.flush();
        try {
            for (Future<RecordMetadata> f : sent) {
                f.get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new GalleryUnavailableException(what + " was not written to Kafka: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GalleryUnavailableException(what + " was interrupted", e);
        }
    }

    /** The ids this image's face would have as a sample: with no face index and with face 0 it is the same face. */
    private static List<String> sameSample(byte[] image, OptionalInt faceIndex) {
        if (faceIndex.isEmpty() || faceIndex.getAsInt() == 0) {
            return List.of(sampleId(image, OptionalInt.empty()), sampleId(image, OptionalInt.of(0)));
        }
        return List.of(sampleId(image, faceIndex));
    }

    private static String sampleId(byte[] image, OptionalInt faceIndex) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(image);
            sha.update(("#" + (faceIndex.isPresent() ? faceIndex.getAsInt() : -1)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String withoutPrefix(String message, String source) {
        String prefix = source + ": ";
        return message != null && message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }
}
