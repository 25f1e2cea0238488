package org.arcstream.embedder.console;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import org.arcstream.embedder.admin.KafkaProperties;
import org.arcstream.embedder.admin.RecentMatches;
import org.arcstream.embedder.admin.TopicProperties;
import org.arcstream.kafka.KafkaClientConfig;

/** The console's stores and the reader that fills them; only with the stream, as the gallery endpoints. */
@Factory
@Requires(property = "embedder.stream.enabled", notEquals = "false")
@Requires(property = "embedder.console.enabled", notEquals = "false")
public class ConsoleFactory {

    @Singleton
    @Bean(preDestroy = "close")
    MatchLog matchLog(ConsoleProperties console, RecentMatches recent) {
        MatchLog log = new MatchLog(console.recentMatches());
        recent.forgetAlsoIn(identity -> log.forget(identity, System.currentTimeMillis()));
        return log;
    }

    @Singleton
    FrameSamples frameSamples(ConsoleProperties console) {
        return new FrameSamples(console.frameSamples(), console.frameSampleBytes());
    }

    @Singleton
    DeadLetterLog deadLetterLog(ConsoleProperties console) {
        return new DeadLetterLog(console.deadLetters());
    }

    @Singleton
    UnknownFaces unknownFaces(ConsoleProperties console) {
        return new UnknownFaces(console.unknownFaces());
    }

    @Singleton
    @Bean(preDestroy = "close")
    LabelWriter labelWriter(KafkaClientConfig kafka, ConsoleProperties console) {
        return new LabelWriter(kafka, console.labelsTopic());
    }

    /** Started with the service ({@link Context}): the live view shows matches from the service's start on. */
    @Context
    @Bean(preDestroy = "close")
    TopicTail topicTail(KafkaClientConfig kafka, TopicProperties topics,
            MatchLog matches, FrameSamples frames, DeadLetterLog deadLetters, UnknownFaces unknownFaces) {
        return TopicTail.start(kafka,
                new ConsoleTopics(topics.matches(), topics.faces(), topics.frames(), topics.deadLetter()),
                matches, frames, deadLetters, unknownFaces);
    }
}
