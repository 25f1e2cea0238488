package org.arcstream.trainer.delivery;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.server.types.files.StreamedFile;
import io.micronaut.security.annotation.Secured;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Base64;
import java.util.HexFormat;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arcstream.trainer.service.TrainingService;
import org.arcstream.trainer.store.CorruptModelException;
import org.arcstream.trainer.store.StoredModel;

/**
 * The store's ONNX files for the embedders, read-only: {@code GET /models/{version}.onnx} for the read-only model user
 * (or the admin). A file is served only after the store verified it against its recorded digest. Answers carry
 * {@code Repr-Digest: sha-256=:<base64>:} (RFC 9530: the digest of the whole file, also on partial answers), a strong
 * {@code ETag} (the sha256) and {@code Accept-Ranges: bytes}; one {@code Range} of bytes is answered 206, with
 * {@code If-Range} honoured, so a broken download resumes where it stopped.
 */
@Controller(ModelFileController.PATH)
@Secured({Roles.MODEL_READER, Roles.ADMIN})
public final class ModelFileController {

    public static final String PATH = "/models";
    private static final Pattern FILE = Pattern.compile("([0-9a-f]{12})\\.onnx");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    private final TrainingService service;

    public ModelFileController(TrainingService service) {
        this.service = service;
    }

    @Get("/{name}")
    public HttpResponse<?> file(@PathVariable String name, HttpRequest<?> request) {
        Matcher m = FILE.matcher(name);
        if (!m.matches()) {
            return HttpResponse.notFound();
        }
        StoredModel model;
        try {
            model = service.store().get(m.group(1));
        } catch (NoSuchElementException e) {
            return HttpResponse.notFound();
        } catch (CorruptModelException e) {
            // never hand out a file that no longer matches its digest
            return HttpResponse.status(HttpStatus.CONFLICT);
        }
        String sha = model.metadata().sha256();
        String etag = "\"" + sha + "\"";
        long length;
        try {
            length = Files.size(model.onnxFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteRange range = range(request, etag, length);
        if (range == ByteRange.UNSATISFIABLE) {
            return headers(HttpResponse.status(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE), sha, etag)
                    .header(HttpHeaders.CONTENT_RANGE, "bytes */" + length);
        }
        long from = range == null ? 0 : range.first();
        long to = range == null ? length - 1 : range.last();
        InputStream in;
        try {
            in = Files.newInputStream(model.onnxFile());
            in.skipNBytes(from);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StreamedFile body = new StreamedFile(new LimitedInputStream(in, to - from + 1), MediaType.APPLICATION_OCTET_STREAM_TYPE,
                model.metadata().createdMillis(), to - from + 1);
        MutableHttpResponse<StreamedFile> response = range != null
                ? HttpResponse.<StreamedFile>status(HttpStatus.PARTIAL_CONTENT).header(HttpHeaders.CONTENT_RANGE, "bytes " + from + "-" + to + "/" + length)
                : HttpResponse.ok();
        return headers(response.body(body), sha, etag);
    }

    /** One range of bytes, first and last included. */
    private record ByteRange(long first, long last) {
        static final ByteRange UNSATISFIABLE = new ByteRange(-1, -1);
    }

    /** Null for the whole file, the range asked for, or {@link ByteRange#UNSATISFIABLE}. */
    private static ByteRange range(HttpRequest<?> request, String etag, long length) {
        Optional<String> header = request.getHeaders().get(HttpHeaders.RANGE, String.class);
        Optional<String> ifRange = request.getHeaders().get(HttpHeaders.IF_RANGE, String.class);
        if (header.isEmpty() || ifRange.isPresent() && !ifRange.get().equals(etag)) {
            return null; // no range, or the client's part is of another file: the whole file
        }
        Matcher m = RANGE.matcher(header.get().trim());
        if (!m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()) {
            return null; // several ranges or another unit: RFC 9110 allows the whole file instead
        }
        long first;
        long last;
        if (m.group(1).isEmpty()) {
            long suffix = Long.parseLong(m.group(2));
            first = Math.max(0, length - suffix);
            last = length - 1;
        } else {
            first = Long.parseLong(m.group(1));
            last = m.group(2).isEmpty() ? length - 1 : Math.min(Long.parseLong(m.group(2)), length - 1);
        }
        if (first >= length || first > last) {
            return ByteRange.UNSATISFIABLE;
        }
        return new ByteRange(first, last);
    }

    private static <T> MutableHttpResponse<T> headers(MutableHttpResponse<T> response, String sha, String etag) {
        return response.header(HttpHeaders.ACCEPT_RANGES, "bytes")
                .header(HttpHeaders.ETAG, etag)
                .header("Repr-Digest", "sha-256=:" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha)) + ":");
    }

    /** The first {@code remaining} bytes of a stream. */
    private static final class LimitedInputStream extends java.io.FilterInputStream {
        private long remaining;

        LimitedInputStream(InputStream in, long remaining) {
            super(in);
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            remaining -= b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, remaining));
            remaining -= Math.max(n, 0);
            return n;
        }
    }
}
