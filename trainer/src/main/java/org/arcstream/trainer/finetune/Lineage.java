package org.arcstream.trainer.finetune;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.arcstream.core.files.AtomicFiles;
import org.arcstream.core.model.DynamicBatchRewriter;

/**
 * Writes a fine-tuned model's parent into its ONNX metadata ({@value #PARENT_KEY}) and drops the
 * batch rewriter's source digest, which described the untrained file and would make the trained one
 * pass for a cached copy of it.
 */
final class Lineage {

    static final String PARENT_KEY = "arcstream.parent_sha256";

    private Lineage() {}

    static void record(Path model, String parentSha256) {
        ModelProto proto;
        try (InputStream in = Files.newInputStream(model)) {
            proto = ModelProto.parseFrom(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + model, e);
        }
        ModelProto.Builder b = proto.toBuilder().clearMetadataProps();
        for (StringStringEntryProto p : proto.getMetadataPropsList()) {
            if (!p.getKey().equals(DynamicBatchRewriter.SOURCE_DIGEST_KEY) && !p.getKey().equals(PARENT_KEY)) {
                b.addMetadataProps(p);
            }
        }
        b.addMetadataProps(StringStringEntryProto.newBuilder().setKey(PARENT_KEY).setValue(parentSha256));
        try {
            AtomicFiles.write(model, b.build()::writeTo);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + model, e);
        }
    }
}
