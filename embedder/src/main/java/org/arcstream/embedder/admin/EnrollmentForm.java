package org.arcstream.embedder.admin;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.http.multipart.CompletedFileUpload;
import io.micronaut.http.multipart.CompletedPart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;
import org.arcstream.embedder.gallery.EnrollImage;

/**
 * A multipart enrollment request, checked: fields {@code id}, {@code name}, optional {@code face}, and one or
 * more files in parts named {@code images}. Anything else is a malformed request (400) naming every problem.
 */
public record EnrollmentForm(String id, String name, List<EnrollImage> images, OptionalInt faceIndex) {

    /** Identity ids become Kafka record keys and URL path segments: keep them plain. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    static final int MAX_NAME_LENGTH = 256;

    /** Longest text field accepted: ids, names and face indexes are short, anything longer is not one. */
    static final int MAX_FIELD_BYTES = 4096;

    /** One part of the form, copied out of the server's buffer (which the server releases once the part has been handed on). */
    public record Part(String name, String filename, boolean file, byte[] bytes) {

        public static Part copyOf(CompletedPart part) {
            try {
                byte[] bytes = part.getBytes();
                if (part instanceof CompletedFileUpload upload) {
                    return new Part(upload.getName(), upload.getFilename(), true, bytes);
                }
                return new Part(part.getName(), null, false, bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Checks the parts; throws a 400 naming every problem found. */
    public static EnrollmentForm parse(List<Part> parts, int maxImages) {
        Reader reader = new Reader(maxImages, bytes -> {});
        parts.forEach(reader::add);
        return reader.finish();
    }

    /**
     * Reads the form part by part as the server receives it, so that a request with one image too many is
     * refused when that image arrives rather than after the whole body was taken in; what is held of the
     * images is reserved from {@code reserve} first (which throws to refuse it). {@link #finish()} checks the rest.
     */
    public static final class Reader {
        private final int maxImages;
        private final LongConsumer reserve;
        private final List<String> problems = new ArrayList<>();
        private final List<EnrollImage> images = new ArrayList<>();
        private String id;
        private String name;
        private String face;
        private int imageParts;

        public Reader(int maxImages, LongConsumer reserve) {
            this.maxImages = maxImages;
            this.reserve = reserve;
        }

        /** Takes one part as the server hands it on (on its event loop: nothing here blocks). */
        public void add(CompletedPart part) {
            if (part instanceof CompletedFileUpload upload && "images".equals(upload.getName())) {
                checkCount();
            }
            Part copy = Part.copyOf(part);
            if (copy.file()) {
                reserve.accept(copy.bytes().length); // refused: the copy is dropped with the request
            } else if (copy.bytes().length > MAX_FIELD_BYTES) {
                throw new HttpStatusException(HttpStatus.BAD_REQUEST, "malformed enrollment: field '" + copy.name()
                        + "' is longer than " + MAX_FIELD_BYTES + " bytes");
            }
            add(copy);
        }

        void add(Part part) {
            if (part.file()) {
                if (!"images".equals(part.name())) {
                    problems.add("unexpected file part '" + part.name() + "' (images go in parts named 'images')");
                    return;
                }
                checkCount();
                imageParts++;
                if (part.bytes().length == 0) {
                    problems.add("image '" + part.filename() + "' is empty");
                } else {
                    images.add(new EnrollImage(part.filename(), part.bytes()));
                }
                return;
            }
            String value = new String(part.bytes(), StandardCharsets.UTF_8).trim();
            switch (part.name()) {
                case "id" -> id = value;
                case "name" -> name = value;
                case "face" -> face = value;
                default -> problems.add("unexpected field '" + part.name() + "'");
            }
        }

        private void checkCount() {
            if (imageParts >= maxImages) {
                throw new HttpStatusException(HttpStatus.BAD_REQUEST,
                        "malformed enrollment: more than " + maxImages + " images sent, at most " + maxImages + " per request");
            }
        }

        /** The form, once every part was added; a 400 naming every problem found otherwise. */
        public EnrollmentForm finish() {
            return check(id, name, face, images, problems);
        }
    }

    private static EnrollmentForm check(String id, String name, String face, List<EnrollImage> images, List<String> problems) {
        if (id == null || id.isEmpty()) {
            problems.add("field 'id' is required");
        } else if (!ID.matcher(id).matches()) {
            problems.add("id must be 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (name == null || name.isEmpty()) {
            problems.add("field 'name' is required");
        } else if (name.length() > MAX_NAME_LENGTH) {
            problems.add("name is longer than " + MAX_NAME_LENGTH + " characters");
        }
        OptionalInt faceIndex = OptionalInt.empty();
        if (face != null && !face.isEmpty()) {
            try {
                int index = Integer.parseInt(face);
                if (index < 0) {
                    problems.add("face must be 0 or more, got " + index);
                }
                faceIndex = OptionalInt.of(index);
            } catch (NumberFormatException e) {
                problems.add("face must be a whole number, got '" + face + "'");
            }
        }
        if (images.isEmpty() && problems.stream().noneMatch(p -> p.startsWith("image"))) {
            problems.add("at least one file in a part named 'images' is required");
        }
        if (!problems.isEmpty()) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "malformed enrollment: " + String.join("; ", problems));
        }
        return new EnrollmentForm(id, name, List.copyOf(images), faceIndex);
    }
}
