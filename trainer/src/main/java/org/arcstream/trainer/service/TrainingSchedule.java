package org.arcstream.trainer.service;

import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts scheduled runs on {@code trainer.schedule-cron}; an empty expression disables the schedule. */
@Singleton
public final class TrainingSchedule {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingSchedule.class);

    private final TrainerConfig config;
    private final TrainingService service;
    private final TaskScheduler scheduler;

    public TrainingSchedule(TrainerConfig config, TrainingService service, @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler) {
        this.config = config;
        this.service = service;
        this.scheduler = scheduler;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        String cron = config.scheduleCron();
        if (cron == null || cron.isBlank()) {
            LOG.info("schedule disabled: runs start on demand only");
            return;
        }
        scheduler.schedule(cron, () -> service.submit("schedule"));
        LOG.info("schedule cron=\"{}\"", cron);
    }
}
