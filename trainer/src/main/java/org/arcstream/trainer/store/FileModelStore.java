package org.arcstream.trainer.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.stream.Stream;
import org.arcstream.core.files.FileTrees;
import org.arcstream.core.model.Sha256;

/**
 * The default model store: one folder per version holding {@code model.onnx}, {@code model.onnx.sha256}
 * and {@code metadata.json}. A version folder is assembled under a temporary name and renamed into
 * place, so readers never see half a model.
 */
public final class FileModelStore implements ModelStore {

    static final String MODEL = "model.onnx";
    static final String DIGEST = "model.onnx.sha256";
    static final String METADATA = "metadata.json";
    /** Infix of the hidden folder a version is assembled in: {@code .<version>.tmp-<n>}. */
    static final String STAGING = ".tmp-";
    private static final String VERSION_FOLDER = "[0-9a-f]{12}";

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final Path root;
    private final Clock clock;
    private final ModelLocations locations;

    public FileModelStore(Path root) {
        this(root, Clock.systemUTC());
    }

    public FileModelStore(Path root, Clock clock) {
        this(root, clock, ModelLocations.FILE);
    }

    /** @param locations where the embedders fetch a stored model from ({@link StoredModel#location()}) */
    public FileModelStore(Path root, Clock clock, ModelLocations locations) {
        this.root = root.toAbsolutePath().normalize();
        this.clock = clock;
        this.locations = locations;
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the model store " + this.root, e);
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public synchronized StoredModel put(ModelDraft draft) {
        OnnxFileCheck.requireOnnx(draft.onnxFile());
        String sha = Sha256.hex(draft.onnxFile());
        String version = sha.substring(0, 12);
        Path dir = root.resolve(version);
        if (Files.isDirectory(dir)) {
            return get(version);
        }
        ModelMetadata metadata = new ModelMetadata(ModelMetadata.FORMAT_VERSION, version, draft.parentVersion(), sha,
                clock.millis(), draft.dataCounts(), draft.metrics(), draft.gateDecision(), draft.gateReason(), null, draft.roc());
        Path staging = root.resolve("." + version + STAGING + System.nanoTime());
        try {
            Files.createDirectories(staging);
            Files.copy(draft.onnxFile(), staging.resolve(MODEL));
            if (!Sha256.hex(staging.resolve(MODEL)).equals(sha)) {
                throw new IOException("the model file changed while it was being stored: " + draft.onnxFile());
            }
            Files.writeString(staging.resolve(DIGEST), sha + "  " + MODEL + "\n", StandardCharsets.US_ASCII);
            JSON.writeValue(staging.resolve(METADATA).toFile(), metadata);
            try {
                Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(staging, dir);
            }
        } catch (IOException e) {
            deleteQuietly(staging);
            throw new UncheckedIOException("cannot store model " + version + " in " + root, e);
        }
        return new StoredModel(metadata, dir.resolve(MODEL), locations.of(version, dir.resolve(MODEL)));
    }

    @Override
    public StoredModel get(String version) {
        if (version == null || !version.matches("[0-9a-f]{4,64}")) {
            throw new NoSuchElementException("not a model version: '" + version + "'");
        }
        Path dir = root.resolve(version.length() > 12 ? version.substring(0, 12) : version);
        if (!Files.isDirectory(dir)) {
            throw new NoSuchElementException("no model " + version + " in " + root);
        }
        ModelMetadata metadata = readMetadata(dir);
        Path file = dir.resolve(MODEL);
        if (!Files.isRegularFile(file)) {
            throw new CorruptModelException("model " + version + " has no " + MODEL + " in " + dir);
        }
        String recorded;
        try {
            recorded = Files.readString(dir.resolve(DIGEST), StandardCharsets.US_ASCII).trim().split("\\s+")[0];
        } catch (IOException e) {
            throw new CorruptModelException("model " + version + " has no readable " + DIGEST, e);
        }
        String actual = Sha256.hex(file);
        if (!actual.equals(recorded) || !actual.equals(metadata.sha256()) || !actual.startsWith(metadata.version())) {
            throw new CorruptModelException("model " + version + " is corrupt: " + file + " has sha256 " + actual
                    + " but " + recorded + " was recorded");
        }
        OnnxFileCheck.requireOnnx(file);
        return new StoredModel(metadata, file, locations.of(metadata.version(), file));
    }

    @Override
    public List<ModelMetadata> list() {
        List<ModelMetadata> all = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().startsWith(".")).toList()) {
                try {
                    all.add(readMetadata(dir));
                } catch (CorruptModelException e) {
                    // listed models are for display; a broken folder must not hide the others
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        all.sort(Comparator.comparingLong(ModelMetadata::createdMillis).thenComparing(ModelMetadata::version));
        return all;
    }

    @Override
    public Optional<StoredModel> latest() {
        List<ModelMetadata> all = list();
        for (int i = all.size() - 1; i >= 0; i--) {
            String decision = all.get(i).gateDecision();
            if (all.get(i).unpublished() == null && ("accepted".equals(decision) || "imported".equals(decision))) {
                return Optional.of(get(all.get(i).version()));
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized ModelMetadata markUnpublished(String version, String reason) {
        Path dir = root.resolve(get(version).version());
        ModelMetadata marked = readMetadata(dir).withUnpublished(reason);
        Path staging = dir.resolve(METADATA + STAGING + System.nanoTime());
        try {
            JSON.writeValue(staging.toFile(), marked);
            try {
                Files.move(staging, dir.resolve(METADATA), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(staging, dir.resolve(METADATA), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            deleteQuietly(staging);
            throw new UncheckedIOException("cannot mark model " + version + " as unpublished in " + root, e);
        }
        return marked;
    }

    /**
     * Removes what a process killed while storing left behind: hidden staging folders, and version folders
     * that lack one of their three files. Call it while no other process writes to this store (at start-up):
     * a staging folder being filled at that moment would be removed too.
     *
     * @return the folders removed
     */
    public synchronized List<Path> removeHalfWritten() {
        List<Path> removed = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                String name = dir.getFileName().toString();
                boolean staging = name.startsWith(".") && name.contains(STAGING);
                boolean incomplete = name.matches(VERSION_FOLDER)
                        && !(Files.isRegularFile(dir.resolve(MODEL)) && Files.isRegularFile(dir.resolve(DIGEST)) && Files.isRegularFile(dir.resolve(METADATA)));
                if (staging || incomplete) {
                    FileTrees.delete(dir);
                    removed.add(dir);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        return removed;
    }

    @Override
    public String toString() {
        return root.toString();
    }

    private static ModelMetadata readMetadata(Path dir) {
        try {
            ModelMetadata m = JSON.readValue(dir.resolve(METADATA).toFile(), ModelMetadata.class);
            if (m.formatVersion() != ModelMetadata.FORMAT_VERSION || m.version() == null || m.sha256() == null) {
                throw new CorruptModelException("unsupported or incomplete metadata in " + dir.resolve(METADATA));
            }
            return m;
        } catch (NoSuchFileException e) {
            throw new CorruptModelException("no " + METADATA + " in " + dir, e);
        } catch (IOException e) {
            throw new CorruptModelException("unreadable " + METADATA + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            FileTrees.delete(dir);
        } catch (UncheckedIOException ignored) {
            // best effort: a leftover staging folder starts with a dot and is never listed
        }
    }
}
