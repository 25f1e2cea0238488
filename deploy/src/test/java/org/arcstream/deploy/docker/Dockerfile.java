package org.arcstream.deploy.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arcstream.deploy.kustomize.YamlFiles;

/** A Dockerfile read into build stages of instructions (continuation lines joined, comments dropped). */
public record Dockerfile(Path file, List<Stage> stages) {

    /** One instruction: the upper-cased keyword and the rest of the line. */
    public record Instruction(String keyword, String arguments) {
    }

    /** A build stage: its base image, its name (may be null) and its instructions after FROM. */
    public record Stage(String from, String name, List<Instruction> instructions) {

        public List<String> arguments(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
        }

        /** The last instruction of that kind, or null. */
        public String last(String keyword) {
            List<String> all = arguments(keyword);
            return all.isEmpty() ? null : all.get(all.size() - 1);
        }

        /** The ENV variables this stage sets, in order ({@code ENV a=1 b="x y"}). */
        public Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            for (String arguments : arguments("ENV")) {
                for (String assignment : words(arguments)) {
                    int eq = assignment.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("ENV without key=value: " + arguments);
                    }
                    env.put(assignment.substring(0, eq), assignment.substring(eq + 1));
                }
            }
            return env;
        }

        /** The exec form of an instruction such as ENTRYPOINT, as a list of strings. */
        public List<String> execForm(String keyword) {
            String arguments = last(keyword);
            if (arguments == null) {
                return List.of();
            }
            Object parsed = YamlFiles.parse(arguments);
            if (!(parsed instanceof List<?> list)) {
                throw new IllegalArgumentException(keyword + " is not in exec form: " + arguments);
            }
            return list.stream().map(Object::toString).toList();
        }
    }

    private static final Pattern FROM = Pattern.compile("(?i)^(?:--platform=\\S+\\s+)?(\\S+)(?:\\s+AS\\s+(\\S+))?$");

    public static Dockerfile read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Stage> stages = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : lines) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && pending.isEmpty())) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            pending.append(trimmed);
            String instruction = pending.toString().strip();
            pending.setLength(0);
            if (instruction.isEmpty()) {
                continue;
            }
            String[] parts = instruction.split("\\s+", 2);
            String keyword = parts[0].toUpperCase(Locale.ROOT);
            String arguments = parts.length > 1 ? parts[1].strip() : "";
            if (keyword.equals("FROM")) {
                Matcher m = FROM.matcher(arguments);
                if (!m.matches()) {
                    throw new IllegalArgumentException(file + ": cannot read FROM " + arguments);
                }
                stages.add(new Stage(m.group(1), m.group(2), new ArrayList<>()));
            } else if (stages.isEmpty()) {
                if (!keyword.equals("ARG")) {
                    throw new IllegalArgumentException(file + ": " + keyword + " before the first FROM");
                }
            } else {
                stages.get(stages.size() - 1).instructions().add(new Instruction(keyword, arguments));
            }
        }
        if (stages.isEmpty()) {
            throw new IllegalArgumentException(file + " has no FROM");
        }
        return new Dockerfile(file, stages);
    }

    public Stage finalStage() {
        return stages.get(stages.size() - 1);
    }

    /** The stage of that name; an assertion error when there is none. */
    public Stage stage(String name) {
        return stages.stream().filter(s -> name.equals(s.name())).findFirst()
                .orElseThrow(() -> new AssertionError(file + " has no stage named " + name));
    }

    /** Splits on blanks outside double quotes and drops the quotes. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        for (char c : text.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (!word.isEmpty()) {
                    words.add(word.toString());
                    word.setLength(0);
                }
            } else {
                word.append(c);
            }
        }
        if (!word.isEmpty()) {
            words.add(word.toString());
        }
        return words;
    }
}
