package org.arcstream.trainer.data;

import java.nio.file.Path;
import java.time.Duration;
import org.arcstream.core.image.RgbImage;
import org.arcstream.kafka.KafkaClientConfig;

/**
 * The trainer's data path alone in a JVM of its own, so that a test can give it a small heap:
 * {@code EnrollmentReadProcess BOOTSTRAP TOPIC CROP_SIZE SPILL_FILE}. Reads the enrollment topic as a
 * training run does, then goes through every crop once as an epoch does, and prints
 * {@code crops=N identities=M skipped=S pixelsum=P} (P: the sum of every pixel byte of every crop).
 */
final class EnrollmentReadProcess {

    private EnrollmentReadProcess() {}

    public static void main(String[] args) {
        KafkaClientConfig kafka = KafkaClientConfig.of(args[0]);
        int cropSize = Integer.parseInt(args[2]);
        try (CropSpill spill = CropSpill.create(Path.of(args[3]))) {
            GalleryCrops.Loaded loaded = EnrollmentTopicCrops.read(kafka, args[1], cropSize, Duration.ofSeconds(60), spill);
            long pixelSum = 0;
            for (LabeledCrop c : loaded.crops()) {
                RgbImage crop = c.crop();
                for (byte b : crop.pixels()) {
                    pixelSum += b & 0xFF;
                }
            }
            long identities = loaded.crops().stream().map(LabeledCrop::identity).distinct().count();
            System.out.println("crops=" + loaded.crops().size() + " identities=" + identities + " skipped=" + loaded.skipped()
                    + " pixelsum=" + pixelSum);
        }
        System.exit(0);
    }
}
