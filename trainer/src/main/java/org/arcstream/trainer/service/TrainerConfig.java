package org.arcstream.trainer.service;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.nio.file.Path;

/**
 * Where the service finds its data and models and when it trains (keys under {@code trainer}).
 *
 * @param galleryDir folder-per-identity training images; when unset, the enrollment topic is read
 * @param bootstrapServers Kafka; unset means accepted models are stored but no event is sent
 * @param activeModelTopic where the embedders name the model they use; a run starts from it
 * @param model starting model; unset means the model the embedders use, else the store's newest accepted model (or the default model)
 * @param scheduleCron when scheduled runs start (6 fields, seconds first); empty disables the schedule
 * @param historySize how many finished runs the history keeps
 */
@ConfigurationProperties("trainer")
public record TrainerConfig(
        Path storeDir,
        @Nullable Path galleryDir,
        @Nullable String bootstrapServers,
        String enrollmentTopic,
        String modelsTopic,
        String activeModelTopic,
        @Nullable Path model,
        @Nullable String scheduleCron,
        int historySize) {}
