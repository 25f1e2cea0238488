package org.arcstream.embedder.console;

/** The topics the console reads. */
public record ConsoleTopics(String matches, String faces, String frames, String deadLetter) {}
