package org.arcstream.trainer.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.arcstream.trainer.publish.ModelDelivery;
import org.arcstream.trainer.publish.PublishException;
import org.arcstream.trainer.store.StoredModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Copies a stored model to an S3-compatible bucket, so that embedders without the trainer's disk fetch it from there.
 * The upload carries the file's MD5 ({@code Content-MD5}: the store refuses bytes that do not match it) and its sha256
 * as object metadata; a {@code HEAD} afterwards confirms size and sha256 before the event may name the object. An object
 * already there with the same size and sha256 is not sent again, so repeating a delivery (a reconciliation) is cheap.
 */
public final class S3ModelUpload implements ModelDelivery, AutoCloseable {

    /** The object metadata ({@code x-amz-meta-sha256}) holding the file's sha256, hex. */
    static final String SHA256_METADATA = "sha256";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Logger LOG = LoggerFactory.getLogger(S3ModelUpload.class);

    private final S3Client s3;
    private final S3PublishConfig config;

    S3ModelUpload(S3Client s3, S3PublishConfig config) {
        this.s3 = s3;
        this.config = config;
    }

    /** A client for the configured store, with the embedder's transport (the JDK's URLConnection); no request is made yet. */
    public static S3ModelUpload open(S3PublishConfig config) {
        if (!config.enabled()) {
            throw new IllegalArgumentException("trainer.publish.s3.bucket is not set");
        }
        var builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(TIMEOUT).socketTimeout(TIMEOUT).build())
                .region(Region.of(config.region()))
                .forcePathStyle(config.pathStyle())
                // Content-MD5 and the sha256 metadata do the checking; S3-compatible stores differ in the SDK's newer checksums
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(config.hasStaticKeys()
                        ? StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKeyId(), config.secretAccessKey()))
                        : DefaultCredentialsProvider.builder().build());
        if (config.endpoint() != null && !config.endpoint().isBlank()) {
            builder.endpointOverride(URI.create(config.endpoint().trim()));
        }
        return new S3ModelUpload(builder.build(), config);
    }

    @Override
    public URI deliver(StoredModel model) {
        String key = config.key(model.version());
        String location = "s3://" + config.bucket() + "/" + key;
        String sha256 = model.metadata().sha256();
        try {
            long size = Files.size(model.onnxFile());
            if (holds(head(key), size, sha256)) {
                return URI.create(location);
            }
            Digests digests = Digests.of(model.onnxFile());
            if (!digests.sha256().equals(sha256)) {
                // the store verified the file when it was read; a file changed since must not reach the embedders
                throw new PublishException("model " + model.version() + " changed in the store: its file has sha256 " + digests.sha256()
                        + ", the store recorded " + sha256, null);
            }
            s3.putObject(PutObjectRequest.builder().bucket(config.bucket()).key(key).contentLength(size)
                    .contentMD5(digests.md5Base64()).contentType("application/octet-stream")
                    .metadata(Map.of(SHA256_METADATA, sha256)).build(), RequestBody.fromFile(model.onnxFile()));
            HeadObjectResponse stored = head(key);
            if (!holds(stored, size, sha256)) {
                throw new PublishException("model " + model.version() + " was uploaded to " + location + " but the store reports "
                        + (stored == null ? "no object" : stored.contentLength() + " bytes, sha256 " + stored.metadata().get(SHA256_METADATA))
                        + " instead of " + size + " bytes, sha256 " + sha256, null);
            }
            LOG.info("model {} uploaded to {} ({} bytes)", model.version(), location, size);
            return URI.create(location);
        } catch (IOException e) {
            throw new PublishException("cannot read model " + model.version() + " from the store: " + e.getMessage(), e);
        } catch (S3Exception e) {
            String reason = e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
                    ? e.awsErrorDetails().errorCode() : "HTTP " + e.statusCode();
            throw new PublishException("cannot upload model " + model.version() + " to " + location + ": " + reason + (e.statusCode() == 403
                    ? " (check trainer.publish.s3.access-key-id and its secret)" : ""), e);
        } catch (SdkClientException e) {
            throw new PublishException("cannot reach the S3 store for " + location + ": " + e.getMessage(), e);
        }
    }

    /** The object's size and metadata; null when there is none. */
    private HeadObjectResponse head(String key) {
        try {
            return s3.headObject(b -> b.bucket(config.bucket()).key(key));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    private static boolean holds(HeadObjectResponse object, long size, String sha256) {
        return object != null && object.contentLength() != null && object.contentLength() == size
                && sha256.equalsIgnoreCase(object.metadata().get(SHA256_METADATA));
    }

    @Override
    public void close() {
        s3.close();
    }

    /** Both digests in one pass over the file. */
    private record Digests(String sha256, String md5Base64) {

        static Digests of(Path file) throws IOException {
            MessageDigest sha256 = digest("SHA-256");
            MessageDigest md5 = digest("MD5");
            try (InputStream in = new DigestInputStream(new DigestInputStream(Files.newInputStream(file), sha256), md5)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            return new Digests(HexFormat.of().formatHex(sha256.digest()), Base64.getEncoder().encodeToString(md5.digest()));
        }

        private static MessageDigest digest(String algorithm) {
            try {
                return MessageDigest.getInstance(algorithm);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(algorithm + " is required of every Java platform", e);
            }
        }
    }
}
