package org.arcstream.trainer.delivery;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import java.net.URI;
import java.util.regex.Pattern;

/**
 * An S3-compatible bucket the trainer copies every published model to (keys under {@code trainer.publish.s3}; trainer/README.md,
 * "Model delivery"): events then carry {@code s3://BUCKET/PREFIX/VERSION.onnx}. The secret never appears in {@link #toString()}.
 *
 * @param bucket the bucket; unset = no copy, events carry the store's locations
 * @param prefix the folder in the bucket ({@code a/b}, no leading or trailing slash)
 * @param endpoint the store's URL; unset = AWS S3 of {@code region}
 * @param region the signing region (any name for most S3-compatible stores)
 * @param pathStyle bucket in the URL path rather than in the host name, as most self-hosted stores need
 * @param accessKeyId a key that may write to the prefix ({@code TRAINER_PUBLISH_S3_ACCESS_KEY_ID}, from a Secret); unset =
 *     the AWS SDK's default chain (AWS_* variables, AWS_SHARED_CREDENTIALS_FILE, web identity token file, instance profile)
 * @param secretAccessKey its secret ({@code TRAINER_PUBLISH_S3_SECRET_ACCESS_KEY}); never logged
 */
@Context
@ConfigurationProperties("trainer.publish.s3")
public record S3PublishConfig(
        @Nullable String bucket,
        @NotBlank @Bindable(defaultValue = "models") String prefix,
        @Nullable String endpoint,
        @NotBlank @Bindable(defaultValue = "us-east-1") String region,
        @Bindable(defaultValue = "true") boolean pathStyle,
        @Nullable String accessKeyId,
        @Nullable String secretAccessKey) {

    // S3 bucket naming rules; keys in plain characters, so that an s3:// URI carries them unescaped
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");

    public S3PublishConfig {
        if (enabled(bucket) && !BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("trainer.publish.s3.bucket is not an S3 bucket name: '" + bucket + "'");
        }
        if (prefix != null && !PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("trainer.publish.s3.prefix must be folder names of letters, digits, '.', '_' or '-' "
                    + "joined by '/', without a leading or trailing '/', got '" + prefix + "'");
        }
        if (enabled(endpoint)) {
            URI uri;
            try {
                uri = URI.create(endpoint.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("trainer.publish.s3.endpoint is not a URL: '" + endpoint + "'");
            }
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new IllegalArgumentException("trainer.publish.s3.endpoint must be an http(s) URL with a host, got '" + endpoint + "'");
            }
        }
        if (enabled(accessKeyId) != enabled(secretAccessKey)) {
            throw new IllegalArgumentException("set both trainer.publish.s3.access-key-id and secret-access-key, or neither");
        }
    }

    /** With a bucket, every published model is copied there before its event is sent. */
    public boolean enabled() {
        return enabled(bucket);
    }

    /** The object key of a model version. */
    public String key(String version) {
        return prefix + "/" + version + ".onnx";
    }

    boolean hasStaticKeys() {
        return enabled(accessKeyId);
    }

    private static boolean enabled(String s) {
        return s != null && !s.isBlank();
    }

    @Override
    public String toString() {
        return "S3PublishConfig[bucket=" + bucket + ", prefix=" + prefix + ", endpoint=" + endpoint + ", region=" + region
                + ", pathStyle=" + pathStyle + ", accessKeyId=" + (hasStaticKeys() ? accessKeyId : "(default chain)")
                + ", secretAccessKey=****]";
    }
}
