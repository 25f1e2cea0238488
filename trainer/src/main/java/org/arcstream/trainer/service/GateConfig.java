package org.arcstream.trainer.service;

import io.micronaut.context.annotation.ConfigurationProperties;
import org.arcstream.trainer.gate.GatePolicy;

/** The gate's tolerances (keys under {@code trainer.gate}); see {@link GatePolicy}. */
@ConfigurationProperties("trainer.gate")
public record GateConfig(double aucTolerance, double tarTolerance) {

    public GatePolicy toPolicy() {
        return new GatePolicy(aucTolerance, tarTolerance);
    }
}
