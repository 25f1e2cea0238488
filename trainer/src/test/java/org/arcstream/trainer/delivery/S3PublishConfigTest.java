package org.arcstream.trainer.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class S3PublishConfigTest {

    private static S3PublishConfig config(String bucket, String prefix, String endpoint, String key, String secret) {
        return new S3PublishConfig(bucket, prefix, endpoint, "us-east-1", true, key, secret);
    }

    @Test
    void theSecretNeverAppearsInItsText() {
        S3PublishConfig config = config("models", "fleet/models", "http://minio.storage:9000", "AKIDTRAINER", "s3cr3t-value");
        assertFalse(config.toString().contains("s3cr3t-value"), config.toString());
        assertTrue(config.toString().contains("AKIDTRAINER"), config.toString());
        assertEquals("fleet/models/0123456789ab.onnx", config.key("0123456789ab"));
        assertTrue(config.enabled());
        assertFalse(config(null, "models", null, null, null).enabled());
    }

    @Test
    void badSettingsAreRefusedNamingTheKey() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> config("Models_Bucket", "m", null, null, null))
                .getMessage().contains("trainer.publish.s3.bucket"));
        for (String prefix : new String[] {"/models", "models/", "a//b", "models?x", "a b"}) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> config("models", prefix, null, null, null))
                    .getMessage().contains("trainer.publish.s3.prefix"), prefix);
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> config("models", "m", "minio:9000", null, null))
                .getMessage().contains("trainer.publish.s3.endpoint"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> config("models", "m", null, "AKID", null))
                .getMessage().contains("access-key-id and secret-access-key"));
    }
}
