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

    /** Reads the parts, releasing every uploaded file's buffer; throws a 400 with all problems found. */
    public static EnrollmentForm parse(List<CompletedPart> parts, int maxImages) {
        List<String> problems = new ArrayList<>();
        String id = null;
        String name = null;
        String face = null;
        List<EnrollImage> images = new ArrayList<>();
        for (CompletedPart part : parts) {
            if (part instanceof CompletedFileUpload file) {
                if (!"images".equals(file.getName())) {
                    problems.add("unexpected file part '" + file.getName() + "' (images go in parts named 'images')");
                } else if (file.getSize() == 0) {
                    problems.add("image '" + file.getFilename() + "' is empty");
                } else {
                    images.add(new EnrollImage(file.getFilename(), bytes(file)));
                }
                file.discard();
                continue;
            }
            String value = new String(bytes(part), StandardCharsets.UTF_8).trim();
            switch (part.getName()) {
                case "id" -> id = value;
                case "name" -> name = value;
                case "face" -> face = value;
                default -> problems.add("unexpected field '" + part.getName() + "'");
            }
        }
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
        if (images.size() > maxImages) {
            problems.add(images.size() + " images sent, at most " + maxImages + " per request");
        }
        if (!problems.isEmpty()) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "malformed enrollment: " + String.join("; ", problems));
        }
        return new EnrollmentForm(id, name, List.copyOf(images), faceIndex);
    }

    private static byte[] bytes(CompletedPart part) {
        try {
            return part.getBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
