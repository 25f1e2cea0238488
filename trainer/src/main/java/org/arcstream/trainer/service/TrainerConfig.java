package org.arcstream.trainer.service;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;

/**
 * Where the service finds its data and models and when it trains (keys under {@code trainer}).
 * Any Kafka client property (security) goes under {@code trainer.kafka.<key>}, see {@code TrainingService}.
 *
 * @param storeDir model store: one folder per model version ({@code model.onnx}, {@code model.onnx.sha256},
 *     {@code metadata.json}); run folders (candidate model, charts, {@code report.json}) go to {@code <store-dir>/runs/<run id>}
 * @param galleryDir training data: a folder with one sub-folder of images per identity; unset = the compacted
 *     enrollment topic is read from {@code bootstrap-servers}
 * @param bootstrapServers Kafka: with it, accepted models are also announced on {@code models-topic}; unset = they are only stored
 * @param enrollmentTopic where enrolled samples are read from when there is no gallery folder
 * @param modelsTopic where accepted models are announced
 * @param activeModelTopic where the embedders name the model they use; a run starts from it
 * @param model starting model; unset = the model the embedders use, else the store's newest accepted model (or the default model)
 * @param scheduleCron when scheduled runs start: cron with seconds first. Nightly at 03:00 (server time) by default: a run
 *     takes every core for minutes and enrollments change slowly; {@code POST /admin/runs} starts one at once. Empty
 *     disables the schedule
 * @param historySize finished runs kept in {@code GET /admin/runs} (each run's {@code report.json} stays in its run folder)
 */
@Context
@ConfigurationProperties("trainer")
public record TrainerConfig(
        @NotNull @Bindable(defaultValue = "model-store") Path storeDir,
        @Nullable Path galleryDir,
        @Nullable String bootstrapServers,
        @NotBlank @Bindable(defaultValue = "enrollment") String enrollmentTopic,
        @NotBlank @Bindable(defaultValue = "models") String modelsTopic,
        @NotBlank @Bindable(defaultValue = "active-model") String activeModelTopic,
        @Nullable Path model,
        @Nullable @Bindable(defaultValue = "0 0 3 * * *") String scheduleCron,
        @Min(1) @Bindable(defaultValue = "50") int historySize) {}
