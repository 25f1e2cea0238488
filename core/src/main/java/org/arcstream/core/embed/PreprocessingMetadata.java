package org.arcstream.core.embed;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.arcstream.core.model.OnnxModelInfo;

/**
 * The preprocessing an ONNX embedding model states in its metadata properties, the only place that reads
 * or writes them: {@value #INPUT_SIZE}, {@value #MEAN}, {@value #STD} and {@value #CHANNEL_ORDER}
 * ({@code rgb} or {@code bgr}). A model states all four or none; one without them gets the caller's
 * fallback. Either way the input size must agree with the model's input shape (N, 3, S, S).
 */
public final class PreprocessingMetadata {

    public static final String INPUT_SIZE = "arcstream.input_size";
    public static final String MEAN = "arcstream.mean";
    public static final String STD = "arcstream.std";
    public static final String CHANNEL_ORDER = "arcstream.channel_order";
    private static final List<String> KEYS = List.of(INPUT_SIZE, MEAN, STD, CHANNEL_ORDER);

    private PreprocessingMetadata() {}

    /**
     * The model's preprocessing: what its metadata states, else {@code fallback}.
     *
     * @throws IllegalArgumentException naming the file when the metadata is partial or malformed, or when the
     *     input size disagrees with the model's input shape
     */
    public static Preprocessing of(Path file, Preprocessing fallback) {
        OnnxModelInfo info = OnnxModelInfo.read(file);
        Optional<Preprocessing> stated = stated(info.metadata(), file);
        Preprocessing p = stated.orElse(fallback);
        checkShape(info, p, file, stated.isPresent());
        return p;
    }

    /** What the metadata states, if anything. */
    public static Optional<Preprocessing> stated(Path file) {
        return stated(OnnxModelInfo.read(file).metadata(), file);
    }

    static Optional<Preprocessing> stated(Map<String, String> metadata, Path file) {
        List<String> present = KEYS.stream().filter(metadata::containsKey).toList();
        if (present.isEmpty()) {
            return Optional.empty();
        }
        if (present.size() != KEYS.size()) {
            throw new IllegalArgumentException("model " + file + " states only part of its preprocessing in its metadata ("
                    + present + "); it needs all of " + KEYS + " or none");
        }
        try {
            return Optional.of(new Preprocessing(Integer.parseInt(metadata.get(INPUT_SIZE).trim()), Float.parseFloat(metadata.get(MEAN).trim()),
                    Float.parseFloat(metadata.get(STD).trim()), Preprocessing.ChannelOrder.parse(metadata.get(CHANNEL_ORDER))));
        } catch (IllegalArgumentException e) {
            // NumberFormatException is one too
            throw new IllegalArgumentException("model " + file + " has unusable preprocessing metadata " + entries(metadata) + ": "
                    + e.getMessage(), e);
        }
    }

    private static void checkShape(OnnxModelInfo info, Preprocessing p, Path file, boolean fromMetadata) {
        long[] s = info.inputShape();
        boolean fits = s.length == 4 && (s[1] < 0 || s[1] == 3) && (s[2] < 0 || s[2] == p.inputSize()) && (s[3] < 0 || s[3] == p.inputSize());
        if (!fits) {
            String source = fromMetadata ? "its metadata says input size " + p.inputSize() + " (" + INPUT_SIZE + ")"
                    : "the configured input size is " + p.inputSize() + " (embedding.input-size)";
            throw new IllegalArgumentException("model " + file + " refused: " + source + " but its input '" + info.inputName()
                    + "' is " + Arrays.toString(s) + "; an embedding model takes (N, 3, " + p.inputSize() + ", " + p.inputSize() + ")");
        }
    }

    /** The metadata entries stating {@code p}. */
    public static Map<String, String> entries(Preprocessing p) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(INPUT_SIZE, Integer.toString(p.inputSize()));
        out.put(MEAN, Float.toString(p.mean()));
        out.put(STD, Float.toString(p.std()));
        out.put(CHANNEL_ORDER, p.channelOrder().text());
        return out;
    }

    /** The model with {@code p} stated in its metadata, replacing what it stated before. */
    public static ModelProto withPreprocessing(ModelProto model, Preprocessing p) {
        ModelProto.Builder b = model.toBuilder().clearMetadataProps();
        for (StringStringEntryProto e : model.getMetadataPropsList()) {
            if (!KEYS.contains(e.getKey())) {
                b.addMetadataProps(e);
            }
        }
        entries(p).forEach((k, v) -> b.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return b.build();
    }

    /** Writes {@code p} into the model file's metadata; the file is replaced whole. */
    public static void write(Path file, Preprocessing p) {
        ModelProto model;
        try (InputStream in = Files.newInputStream(file)) {
            model = ModelProto.parseFrom(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ONNX model " + file, e);
        }
        try {
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                withPreprocessing(model, p).writeTo(out);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write ONNX model " + file, e);
        }
    }

    private static Map<String, String> entries(Map<String, String> metadata) {
        Map<String, String> out = new LinkedHashMap<>();
        KEYS.forEach(k -> out.put(k, metadata.get(k)));
        return out;
    }
}
