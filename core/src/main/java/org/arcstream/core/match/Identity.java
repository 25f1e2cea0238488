package org.arcstream.core.match;

/** An enrolled person: a stable id and a display name. */
public record Identity(String id, String name) {}
