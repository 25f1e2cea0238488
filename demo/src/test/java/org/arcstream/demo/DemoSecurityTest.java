package org.arcstream.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.arcstream.ingest.IngestTestData;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The demo on a broker that requires SASL_SSL (SCRAM-SHA-512) or mutual TLS, with certificates made for the
 * run and ACLs enforced: ingest, the embedder and the matches reader each connect as their own principal,
 * three people of the LFW sample (five images each enrolled, two streamed) flow end to end, and every
 * forbidden write tried (ingest to enrollment, the embedder to models, the reader to frames) is refused.
 */
class DemoSecurityTest {

    private static final List<String> PEOPLE = List.of("Colin_Powell", "George_W_Bush", "Hugo_Chavez");

    @TempDir
    Path gallery;

    @ParameterizedTest
    @CsvSource({"sasl-ssl, SASL_SSL", "mtls, SSL"})
    void theLfwSampleFlowsEndToEndOnASecuredBrokerAndForbiddenWritesAreRefused(String option, String protocol) throws Exception {
        Path lfw = IngestTestData.lfw10();
        for (String person : PEOPLE) {
            Files.createDirectories(gallery.resolve(person));
            try (Stream<Path> files = Files.list(lfw.resolve(person))) {
                for (Path file : files.sorted().limit(7).toList()) {
                    Files.copy(file, gallery.resolve(person).resolve(file.getFileName()));
                }
            }
        }
        CommandRun run = CommandRun.of(new DemoCommand(), "--gallery", gallery.toString(), "--source", gallery.toString(),
                "--enroll-per-identity", "5", "--security", option, "--json");
        assertEquals(0, run.exit(), run.output());
        JsonNode summary = new ObjectMapper().readTree(run.lastLine());
        assertEquals(protocol, summary.get("security").asText());
        assertEquals(6, summary.get("frames").asInt(), run.lastLine());
        assertEquals(6, summary.get("correct").asInt(), "recognized correctly: " + run.lastLine());
        assertEquals(0, summary.get("dead_lettered").asInt());
        assertEquals(3, summary.get("acl_probes").asInt());
        assertEquals(3, summary.get("acl_refusals").asInt(), "every forbidden write is refused");
    }

    @ParameterizedTest
    @CsvSource({"none", "tls"})
    void anUnknownSecurityIsAUsageError(String option) {
        CommandRun run = CommandRun.of(new DemoCommand(), "--gallery", gallery.toString(), "--source", gallery.toString(),
                "--security", option);
        assertEquals(2, run.exit());
        assertTrue(run.lines().isEmpty(), "nothing runs: " + run.output());
    }
}
