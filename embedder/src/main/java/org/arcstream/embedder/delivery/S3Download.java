package org.arcstream.embedder.delivery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.arcstream.embedder.delivery.ModelLocation.InAllowedBucket;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A model file from an allowed bucket of an S3-compatible store, with the embedder's own read-only keys; a
 * second attempt asks for the rest of the object ({@code Range}) and only if it is still the same object
 * ({@code If-Match} on the first answer's ETag).
 */
final class S3Download implements ResumableSource {

    private final S3Client s3;
    private final InAllowedBucket object;
    private final long maxBytes;
    private String etag;

    S3Download(S3Client s3, InAllowedBucket object, long maxBytes) {
        this.s3 = s3;
        this.object = object;
        this.maxBytes = maxBytes;
    }

    static S3Client newClient(S3Access access, DownloadSettings settings) {
        var builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(settings.timeout()).socketTimeout(settings.timeout()).build())
                .region(Region.of(access.region()))
                .forcePathStyle(access.pathStyle())
                // the file's sha256 from the event is checked after the download; S3-compatible stores differ in the SDK's newer checksums
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(access.hasStaticKeys()
                        ? StaticCredentialsProvider.create(AwsBasicCredentials.create(access.accessKeyId(), access.secretAccessKey()))
                        : DefaultCredentialsProvider.builder().build());
        if (access.endpoint() != null) {
            builder.endpointOverride(access.endpoint());
        }
        return builder.build();
    }

    @Override
    public void attempt(Path partial) throws IOException {
        String location = "s3://" + object.bucket() + "/" + object.key();
        long have = Files.exists(partial) ? Files.size(partial) : 0;
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(object.bucket()).key(object.key());
        if (have > 0 && etag != null) {
            request.range("bytes=" + have + "-").ifMatch(etag);
        } else if (have > 0) {
            Files.delete(partial); // no ETag to prove it is the same object: start over
            have = 0;
        }
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(request.build())) {
            GetObjectResponse response = in.response();
            etag = response.eTag();
            Long length = response.contentLength();
            if (length != null && have + length > maxBytes) {
                throw BoundedCopy.tooLarge(location, "the store announces " + (have + length) + " bytes", maxBytes);
            }
            long size = BoundedCopy.append(in, partial, maxBytes, location);
            if (length != null && size != have + length) {
                throw new IOException("the connection closed after " + size + " of " + (have + length) + " bytes of " + location);
            }
        } catch (S3Exception e) {
            int status = e.statusCode();
            if (status == 412 || status == 416) {
                Files.deleteIfExists(partial); // the object changed, or the partial file is already complete: start over
                etag = null;
                throw new IOException("HTTP " + status + " resuming " + location + "; starting over", e);
            }
            if (status >= 500 || status == 429 || status == 408) {
                throw new IOException("HTTP " + status + " from the S3 store for " + location, e);
            }
            String reason = e.awsErrorDetails() != null ? e.awsErrorDetails().errorCode() : "HTTP " + status;
            throw new DownloadRefusedException("cannot fetch " + location + ": " + reason + (status == 403
                    ? " (check embedder.models.download.s3-access-key-id and its secret)" : ""), e);
        } catch (SdkClientException e) {
            throw new IOException("cannot reach the S3 store for " + location + ": " + e.getMessage(), e);
        }
    }
}
