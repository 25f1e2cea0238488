package org.arcstream.embedder.admin;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import java.time.Clock;
import org.arcstream.embedder.model.ModelSwitchboard;
import org.arcstream.embedder.stream.FacePipelinePool;
import org.arcstream.embedder.stream.KafkaEmbedderRuntime;
import org.arcstream.embedder.stream.PipelineListener;
import org.arcstream.kafka.KafkaClientConfig;

/** Starts the model hot swap beside a running embedder stream and the face pipelines it borrows from. */
@Factory
public class ModelSwitchboardFactory {

    // started with the service: it must watch the models topic from the start, not from the first request
    @Context
    @Bean(preDestroy = "close")
    @Requires(beans = {KafkaEmbedderRuntime.class, FacePipelinePool.class})
    ModelSwitchboard modelSwitchboard(ModelProperties models, ModelDownloadProperties download, KafkaClientConfig kafka, TopicProperties topics, FacePipelinePool pipelines,
            KafkaEmbedderRuntime runtime, PipelineListener listener) {
        return new ModelSwitchboard(models.settings(download), kafka, topics.names(), pipelines, runtime::holdsEnrollment,
                Clock.systemUTC(), listener).start();
    }
}
