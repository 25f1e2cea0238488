package org.arcstream.trainer.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.arcstream.core.model.Sha256;
import org.arcstream.trainer.TinyOnnx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileModelStoreTest {

    @TempDir
    Path tmp;

    private FileModelStore store(long millis) {
        return new FileModelStore(tmp.resolve("store"), Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC));
    }

    private ModelDraft draft(Path file, String parent, String decision) {
        return new ModelDraft(file, parent, Map.of("train_images", 70), Map.of("heldout_identities.auc", 0.95), decision, "why");
    }

    @Test
    void writesAndReadsBackAModelUnderItsShaPrefix() throws Exception {
        Path onnx = TinyOnnx.write(tmp.resolve("a.onnx"), 1f);
        StoredModel stored = store(1000).put(draft(onnx, "87aacdfe5751", "accepted"));
        assertEquals(Sha256.modelId(onnx), stored.version());
        assertEquals(Sha256.hex(onnx), stored.metadata().sha256());

        StoredModel read = store(2000).get(stored.version());
        assertArrayEquals(Files.readAllBytes(onnx), Files.readAllBytes(read.onnxFile()));
        assertEquals("87aacdfe5751", read.metadata().parentVersion());
        assertEquals(1000, read.metadata().createdMillis());
        assertEquals(70, read.metadata().dataCounts().get("train_images"));
        assertEquals(0.95, read.metadata().metrics().get("heldout_identities.auc"));
        assertEquals("accepted", read.metadata().gateDecision());
        assertTrue(Files.readString(read.onnxFile().resolveSibling(FileModelStore.DIGEST)).startsWith(Sha256.hex(onnx)));
    }

    @Test
    void latestIsTheNewestAcceptedModelAndListIsOldestFirst() throws Exception {
        String first = store(1000).put(draft(TinyOnnx.write(tmp.resolve("a.onnx"), 1f), null, "imported")).version();
        String second = store(2000).put(draft(TinyOnnx.write(tmp.resolve("b.onnx"), 2f), first, "accepted")).version();
        store(3000).put(draft(TinyOnnx.write(tmp.resolve("c.onnx"), 3f), second, "rejected"));
        List<ModelMetadata> all = store(4000).list();
        assertEquals(3, all.size());
        assertEquals(first, all.get(0).version());
        assertEquals(second, store(4000).latest().orElseThrow().version());
    }

    @Test
    void refusesAFileWhoseDigestNoLongerMatches() throws Exception {
        StoredModel stored = store(1).put(draft(TinyOnnx.write(tmp.resolve("a.onnx"), 1f), null, "accepted"));
        byte[] bytes = Files.readAllBytes(stored.onnxFile());
        bytes[bytes.length - 3] ^= 0x40;
        Files.write(stored.onnxFile(), bytes);
        CorruptModelException e = assertThrows(CorruptModelException.class, () -> store(2).get(stored.version()));
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
    }

    @Test
    void refusesAFileThatIsNotOnnxEvenWithMatchingDigests() throws Exception {
        StoredModel stored = store(1).put(draft(TinyOnnx.write(tmp.resolve("a.onnx"), 1f), null, "accepted"));
        byte[] junk = "this is not a model".getBytes(StandardCharsets.UTF_8);
        Files.write(stored.onnxFile(), junk);
        String sha = Sha256.hex(junk);
        Files.writeString(stored.onnxFile().resolveSibling(FileModelStore.DIGEST), sha + "  model.onnx\n");
        Path meta = stored.onnxFile().resolveSibling(FileModelStore.METADATA);
        Files.writeString(meta, Files.readString(meta).replace(stored.metadata().sha256(), sha)
                .replace("\"" + stored.version() + "\"", "\"" + sha.substring(0, 12) + "\""));
        assertThrows(CorruptModelException.class, () -> store(2).get(stored.version()));
    }

    @Test
    void refusesToStoreSomethingThatIsNotOnnxAndReportsUnknownVersions() throws Exception {
        Path junk = Files.writeString(tmp.resolve("junk.onnx"), "hello");
        assertThrows(CorruptModelException.class, () -> store(1).put(ModelDraft.imported(junk)));
        assertTrue(store(1).list().isEmpty());
        assertThrows(NoSuchElementException.class, () -> store(1).get("0123456789ab"));
        assertThrows(NoSuchElementException.class, () -> store(1).get("../etc"));
    }

    @Test
    void aModelMarkedUnpublishedKeepsItsRecordButIsNeverTheLatest() throws Exception {
        String first = store(1000).put(draft(TinyOnnx.write(tmp.resolve("a.onnx"), 1f), null, "imported")).version();
        String second = store(2000).put(draft(TinyOnnx.write(tmp.resolve("b.onnx"), 2f), first, "accepted")).version();

        store(3000).markUnpublished(second, "never announced");

        FileModelStore reopened = store(4000);
        assertEquals(first, reopened.latest().orElseThrow().version());
        ModelMetadata marked = reopened.get(second).metadata();
        assertEquals("never announced", marked.unpublished());
        assertEquals("accepted", marked.gateDecision());
        assertEquals(2000, marked.createdMillis());
        assertEquals(2, reopened.list().size());
        assertTrue(Files.readString(reopened.root().resolve(first).resolve(FileModelStore.METADATA)).indexOf("unpublished") < 0,
                "an unmarked model's metadata has no such field");
    }
}
