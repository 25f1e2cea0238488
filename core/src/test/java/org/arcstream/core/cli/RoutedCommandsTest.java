package org.arcstream.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.arcstream.core.cli.RoutedCommands.Entry;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The one list of routed commands against what depends on it: the launcher reads it, every entry names a
 * module and a main class that exist, {@code arcstream help} and the README list every command.
 */
class RoutedCommandsTest {

    private static final Path ROOT = Path.of("..");

    @Test
    void everyEntryNamesAModuleAndAMainClassThatExist() throws IOException {
        List<Entry> entries = RoutedCommands.all();
        assertTrue(entries.size() >= 10, entries.toString());
        assertEquals(entries.size(), entries.stream().map(Entry::name).distinct().count(), "command names are unique");
        for (Entry e : entries) {
            assertTrue(Files.isRegularFile(ROOT.resolve(e.module()).resolve("pom.xml")), e + ": no such module");
            Path source = ROOT.resolve(e.module()).resolve("src/main/java").resolve(e.mainClass().replace('.', '/') + ".java");
            assertTrue(Files.isRegularFile(source), e + ": no source " + source);
            assertTrue(Files.readString(source).contains("public static void main(String[] args)"), e + ": no main method");
            assertTrue(!e.description().isBlank(), e + ": says nothing about what it does");
        }
    }

    @Test
    void theLauncherRoutesByTheList() throws IOException {
        String launcher = Files.readString(ROOT.resolve("arcstream"));
        assertTrue(launcher.contains("core/src/main/resources/" + RoutedCommands.RESOURCE), "the launcher reads the list");
        for (Entry e : RoutedCommands.all()) {
            assertTrue(!launcher.contains(e.mainClass()), "the launcher names " + e.mainClass() + " itself");
        }
    }

    @Test
    void helpListsEveryCommandAndTheExitCodes() {
        ConsoleCapture.Run r = ConsoleCapture.run(ArcstreamCli::run, "help");
        String flowing = r.out().replaceAll("\\s+", " "); // picocli wraps long descriptions
        for (Entry e : RoutedCommands.all()) {
            assertTrue(flowing.contains(" " + e.name() + " " + e.description() + " "), e + "\n" + r.out());
        }
        assertTrue(flowing.contains(" 3 train: the gate rejected the model"), r.out());
        assertTrue(r.out().lines().allMatch(l -> l.length() <= 80), "lines fit 80 columns:\n" + r.out());
    }

    @Test
    void theReadmeCommandsTableHasARowForEveryCommand() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String table = readme.substring(readme.indexOf("## Commands"), readme.indexOf("**Exit codes**"));
        Set<String> rows = table.lines().filter(l -> l.startsWith("| `"))
                .map(l -> l.substring(3).split("[ `]")[0]).collect(Collectors.toSet());
        Set<String> core = new CommandLine(new ArcstreamCli()).getSubcommands().keySet().stream()
                .filter(n -> !n.equals("help")).collect(Collectors.toSet());
        for (String name : RoutedCommands.all().stream().map(Entry::name).toList()) {
            assertTrue(rows.contains(name), name + " is not in the README's table: " + rows);
        }
        assertTrue(rows.containsAll(core), core + " not all in the README's table: " + rows);
    }

    @Test
    void aLineWithoutFourFieldsIsRefusedWithTheLine() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RoutedCommands.parse("# ok\n\ndemo demo Main what\n"));
        assertTrue(e.getMessage().contains("demo demo Main what"), e.getMessage());
        assertEquals(List.of(new Entry("a", "b", "C", "d")), RoutedCommands.parse("# comment\na\tb\tC\td\n"));
    }
}
