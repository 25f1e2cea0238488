package org.arcstream.trainer.delivery;

/** The trainer's HTTP principals: the operator, and the embedders' read-only model user. */
public final class Roles {

    public static final String ADMIN = "admin";
    public static final String MODEL_READER = "model-reader";

    private Roles() {}
}
