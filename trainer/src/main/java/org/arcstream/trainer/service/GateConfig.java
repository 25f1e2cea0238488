package org.arcstream.trainer.service;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import org.arcstream.trainer.gate.GatePolicy;

/**
 * The gate's tolerances (keys under {@code trainer.gate}); see {@link GatePolicy}, whose constants are the defaults.
 * The new model is published only if, on held-out identities AND on held-out images of the trained identities,
 * AUC is at least the current model's minus the AUC tolerance and TAR at FAR 1% at least the current one's minus the
 * TAR tolerance.
 *
 * @param aucTolerance largest verification AUC drop accepted, in [0, 1)
 * @param tarTolerance largest drop of TAR at FAR 1% accepted, in [0, 1)
 */
@Context
@ConfigurationProperties("trainer.gate")
public record GateConfig(
        @DecimalMin("0") @DecimalMax(value = "1", inclusive = false, message = "must be less than {value}")
        @Bindable(defaultValue = "" + GatePolicy.AUC_TOLERANCE) double aucTolerance,
        @DecimalMin("0") @DecimalMax(value = "1", inclusive = false, message = "must be less than {value}")
        @Bindable(defaultValue = "" + GatePolicy.TAR_TOLERANCE) double tarTolerance) {

    public GatePolicy toPolicy() {
        return new GatePolicy(aucTolerance, tarTolerance);
    }
}
