package org.arcstream.embedder.admin;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.convert.format.ReadableBytes;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.arcstream.embedder.delivery.BasicCredentials;
import org.arcstream.embedder.delivery.DownloadSettings;
import org.arcstream.embedder.delivery.S3Access;

/**
 * Where published models may be fetched from (keys {@code embedder.models.download.*}; embedder/README.md, "Model delivery").
 * A model event whose location none of the lists admits is refused with the reason and the running model stays.
 *
 * @param trustedDirs folders whose files {@code file:} locations may name (a shared model store); the folder of the
 *     model the instance started with is always trusted; empty = no other
 * @param httpHosts origins {@code http(s)://host:port} that {@code http(s):} locations may name (the trainer's Service)
 * @param httpUsername user for HTTP Basic on those hosts (the trainer's read-only model user)
 * @param httpPassword its password (from a Secret: {@code EMBEDDER_MODELS_DOWNLOAD_HTTP_PASSWORD}); never logged
 * @param s3Buckets buckets that {@code s3://bucket/key} locations may name; empty = {@code s3:} refused
 * @param s3Endpoint URL of an S3-compatible store; empty = AWS S3 in {@code s3-region}
 * @param s3Region signing region
 * @param s3AccessKeyId read-only access key; empty = the AWS SDK's default chain (environment, web identity, instance profile)
 * @param s3SecretAccessKey its secret (from a Secret); never logged
 * @param s3PathStyle bucket in the URL path, as most self-hosted S3-compatible stores need
 * @param maxBytes largest model file accepted: checked against the announced length and while reading
 * @param attempts tries of a remote download; each resumes where the last one broke off
 * @param timeout connect and read timeout of one request
 */
@Context
@ConfigurationProperties("embedder.models.download")
public record ModelDownloadProperties(
        @Nullable List<String> trustedDirs,
        @Nullable List<String> httpHosts,
        @Nullable String httpUsername,
        @Nullable String httpPassword,
        @Nullable List<String> s3Buckets,
        @Nullable String s3Endpoint,
        @NotBlank @Bindable(defaultValue = "us-east-1") String s3Region,
        @Nullable String s3AccessKeyId,
        @Nullable String s3SecretAccessKey,
        @Bindable(defaultValue = "true") boolean s3PathStyle,
        @Min(1) @ReadableBytes @Bindable(defaultValue = "" + DownloadSettings.MAX_BYTES) long maxBytes,
        @Min(1) @Bindable(defaultValue = "" + DownloadSettings.ATTEMPTS) int attempts,
        @DurationMin("1ms") @Bindable(defaultValue = DownloadSettings.TIMEOUT_SECONDS + "s") Duration timeout) {

    /** The settings, with the starting model's folder trusted; {@link IllegalArgumentException} naming the key for a bad value. */
    public DownloadSettings settings() {
        List<Path> dirs = orEmpty(trustedDirs).stream().filter(s -> !s.isBlank()).map(Path::of).toList();
        Set<String> origins = new HashSet<>();
        for (String host : orEmpty(httpHosts)) {
            if (!host.isBlank()) {
                try {
                    origins.add(DownloadSettings.origin(host));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("embedder.models.download.http-hosts: " + e.getMessage(), e);
                }
            }
        }
        BasicCredentials credentials = null;
        if (!blank(httpUsername) || !blank(httpPassword)) {
            if (blank(httpUsername) || blank(httpPassword)) {
                throw new IllegalArgumentException("set both embedder.models.download.http-username and http-password, or neither");
            }
            credentials = new BasicCredentials(httpUsername, httpPassword);
        }
        Set<String> buckets = Set.copyOf(orEmpty(s3Buckets).stream().filter(s -> !s.isBlank()).toList());
        S3Access s3 = null;
        if (!buckets.isEmpty()) {
            try {
                s3 = new S3Access(blank(s3Endpoint) ? null : URI.create(s3Endpoint), s3Region, s3AccessKeyId, s3SecretAccessKey, s3PathStyle);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("embedder.models.download.s3-*: " + e.getMessage(), e);
            }
        }
        return new DownloadSettings(dirs, origins, buckets, maxBytes, attempts, timeout, credentials, s3);
    }

    private static List<String> orEmpty(List<String> list) {
        return list == null ? List.of() : list;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    @Override
    public String toString() {
        // the secrets stay out of logs and error messages
        return "ModelDownloadProperties[trustedDirs=" + trustedDirs + ", httpHosts=" + httpHosts + ", httpUsername=" + httpUsername
                + ", httpPassword=****, s3Buckets=" + s3Buckets + ", s3Endpoint=" + s3Endpoint + ", s3Region=" + s3Region
                + ", s3AccessKeyId=" + s3AccessKeyId + ", s3SecretAccessKey=****, s3PathStyle=" + s3PathStyle + ", maxBytes=" + maxBytes
                + ", attempts=" + attempts + ", timeout=" + timeout + "]";
    }
}
