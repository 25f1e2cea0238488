package org.arcstream.demo.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.arcstream.core.topics.MatchRecord;
import org.junit.jupiter.api.Test;

/** The check SeparateProcessesTest applies to each frame's matches catches each way a frame can go wrong. */
class FrameVerdictCheckTest {

    private static final Set<String> ENROLLED = Set.of("Colin_Powell", "George_W_Bush");

    @Test
    void aFrameWithOneCorrectMatchAndAnUnknownBackgroundFacePasses() {
        assertEquals(List.of(), check(match(0, "Colin_Powell", "m2"), match(1, MatchRecord.UNKNOWN, "m2")));
    }

    @Test
    void eachWayAFrameCanGoWrongIsReported() {
        assertEquals(List.of("cam/0: no match"), check());
        assertTrue(only(check(match(0, "Colin_Powell", "m2"), match(0, "Colin_Powell", "m2"))).contains("face 0 matched 2 times"));
        assertTrue(only(check(match(0, "Colin_Powell", "m2"), match(2, MatchRecord.UNKNOWN, "m2"))).contains("faces [0, 2] are not 0..1"));
        assertTrue(only(check(match(0, MatchRecord.UNKNOWN, "m2"))).contains("0 faces matched to Colin_Powell"));
        assertTrue(only(check(match(0, "Colin_Powell", "m2"), match(1, "Colin_Powell", "m2"))).contains("2 faces matched to Colin_Powell"));
        assertTrue(only(check(match(0, "Colin_Powell", "m2"), match(1, "George_W_Bush", "m2"))).contains("another person, George_W_Bush"));
        assertTrue(only(check(match(0, "Colin_Powell", "m1"))).contains("embedded by model m1, not m2"));
    }

    private static List<String> check(MatchRecord... matches) {
        return SeparateProcessesTest.frameProblems("cam/0", "Colin_Powell", ENROLLED, "m2", List.of(matches));
    }

    private static String only(List<String> problems) {
        assertEquals(1, problems.size(), problems.toString());
        return problems.get(0);
    }

    private static MatchRecord match(int face, String identity, String model) {
        return new MatchRecord(MatchRecord.VERSION, "cam", 0, 0, 0, 0, face, new float[] {0, 0, 1, 1}, identity, identity, 0.6f, 0.1f, 0.38f,
                model);
    }
}
