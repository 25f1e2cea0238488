package org.arcstream.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the topics a service needs when they are missing, leaving existing ones as they are. */
public final class KafkaTopics {

    private KafkaTopics() {}

    /**
     * Creates those of {@code topics} the cluster does not list yet. Existing topics are not asked
     * for again, so an account that may use but not create them still starts; a topic that another
     * process creates at the same moment counts as existing. Any other refusal is an
     * {@link IllegalStateException} naming its cause.
     *
     * @param timeout the longest wait for the topic list, and then for each creation
     */
    public static void createMissing(Admin admin, Collection<NewTopic> topics, Duration timeout)
            throws ExecutionException, TimeoutException, InterruptedException {
        Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
        for (var result : admin.createTopics(missing).values().values()) {
            try {
                result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic: " + e.getCause().getMessage(), e);
                }
            }
        }
    }
}
