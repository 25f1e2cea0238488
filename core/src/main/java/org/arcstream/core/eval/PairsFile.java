package org.arcstream.core.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads a CSV of labeled image pairs: first image, second image, label (Yes/No, 1/0, true/false). */
public final class PairsFile {

    /** One labeled pair of image paths as written in the file. */
    public record Pair(String first, String second, boolean same) {}

    private PairsFile() {}

    public static List<Pair> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read pair file " + file, e);
        }
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split(line.contains(";") && !line.contains(",") ? ";" : ",", -1);
            if (cells.length < 3) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": expected 3 columns (first, second, label), got " + cells.length);
            }
            Boolean same = label(unquote(cells[2]));
            if (same == null) {
                if (pairs.isEmpty() && i == firstContentLine(lines)) {
                    continue; // a header row
                }
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": label must be Yes/No or 1/0, got '" + cells[2].strip() + "'");
            }
            pairs.add(new Pair(unquote(cells[0]), unquote(cells[1]), same));
        }
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException(file + ": no pairs");
        }
        return pairs;
    }

    private static int firstContentLine(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                return i;
            }
        }
        return -1;
    }

    private static Boolean label(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "yes", "1", "true" -> true;
            case "no", "0", "false" -> false;
            default -> null;
        };
    }

    private static String unquote(String cell) {
        String s = cell.strip();
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
