package org.arcstream.embedder.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.arcstream.broker.EmbeddedKafkaBroker;
import org.arcstream.core.config.Settings;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.topics.FrameHeaders;
import org.arcstream.core.topics.ModelEvent;
import org.arcstream.core.topics.ModelEventCodec;
import org.arcstream.core.topics.RocCurve;
import org.arcstream.embedder.TestResources;
import org.arcstream.embedder.model.TestModels;
import org.arcstream.kafka.FrameRecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser (Debian's Chromium, headless) against the service on the in-process broker
 * with the real models: enroll two people from files, stream frames and see their names live, delete one and
 * see them become unknown, mark a wrong recognition (a labelled negative on the labels topic), name a recurring
 * unknown person from the review groups, see dead letters, preview a threshold, roll the model back; enroll a third person from the
 * (fake) webcam and see them recognized in the stream. Screenshots of each page go to
 * {@code target/console-screenshots}, or to {@code -Darcstream.console.screenshots=DIR} (the README's come
 * from {@code ../docs/console}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@EnabledIf(value = "browserInstalled",
        disabledReason = "no Chromium or chromedriver: install the Debian packages chromium chromium-driver")
class ConsoleBrowserTest {

    /** Debian's paths; {@code -Darcstream.chromium=...} and {@code -Darcstream.chromedriver=...} point elsewhere. */
    private static final Path CHROMIUM = Path.of(System.getProperty("arcstream.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("arcstream.chromedriver", "/usr/bin/chromedriver"));
    private static final String USER = "operator";
    private static final String PASSWORD = "browser-test-password";
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @TempDir
    static Path work;

    private static Path lfw;
    private static Path screenshots;
    private static EmbeddedKafkaBroker broker;
    private static EmbeddedServer server;
    private static KafkaProducer<String, byte[]> producer;
    private static ChromeDriverService driverService;
    private static ChromeDriver browser;
    private static long sequence;

    static boolean browserInstalled() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    @BeforeAll
    static void start() throws Exception {
        lfw = Path.of(System.getProperty("arcstream.shared.dir", "../../shared"), "data", "lfw10");
        assumeTrue(Files.isDirectory(lfw), "LFW sample not found at " + lfw);
        screenshots = Files.createDirectories(Path.of(System.getProperty("arcstream.console.screenshots", "target/console-screenshots")));

        broker = EmbeddedKafkaBroker.start();
        server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "micronaut.server.port", -1,
                "embedder.kafka.bootstrap-servers", broker.bootstrapServers(),
                "embedder.kafka.application-id", "console-browser",
                "embedder.kafka.state-dir", work.resolve("state").toString(),
                "embedder.models.cache-dir", work.resolve("models").toString(),
                "embedder.models.download.trusted-dirs", work.resolve("store").toString(),
                "embedder.admin.username", USER,
                "embedder.admin.password", PASSWORD));
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());

        // the webcam shows a still of a person who is enrolled through it in the last test
        Path webcam = FakeWebcam.y4m(image("Hugo_Chavez", 1), work.resolve("webcam.y4m"), 10);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1200,900",
                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                "--use-file-for-fake-video-capture=" + webcam);
        driverService = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(driverService, options);
        // the credentials an operator types into the browser's sign-in prompt, given to every request
        browser.executeCdpCommand("Network.enable", Map.of());
        browser.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Authorization",
                "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)))));
        browser.get(server.getURL() + "/console/");
        waitFor("the session", () -> browser.findElement(By.id("user")).getText().contains(USER));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        TestResources.closeAll(driverService == null ? null : driverService::stop, producer, server, broker);
    }

    @Test
    @Order(1)
    void enrollTwoPeopleFromFiles() throws Exception {
        open("#people");
        enrollFromFiles("Colin_Powell", "Colin Powell", image("Colin_Powell", 1), image("Colin_Powell", 2), image("Colin_Powell", 3));
        // the same image again, beside a new one: a duplicate of the sample it already is, nothing written for it
        submitFiles("Colin_Powell", "Colin Powell", image("Colin_Powell", 2), image("Colin_Powell", 4));
        List<WebElement> results = browser.findElements(By.cssSelector("#enroll-results li"));
        assertTrue(results.get(0).getText().matches("Colin_Powell_0002\\.jpg: duplicate of sample [0-9a-f]{16}, not enrolled again"),
                results.get(0).getText());
        assertEquals("Colin_Powell_0004.jpg: accepted", results.get(1).getText());
        screenshot("people-enroll");
        // Tony Blair's first image shows more than one face: the console offers a picker
        enrollFromFiles("Tony_Blair", "Tony Blair", image("Tony_Blair", 1), image("Tony_Blair", 2));
        WebElement several = browser.findElements(By.cssSelector("#enroll-results li")).get(0);
        assertEquals("Tony_Blair_0001.jpg: several faces: choose one", several.findElement(By.className("outcome")).getText());
        assertTrue(several.findElements(By.cssSelector("select option")).size() > 1, "one option per face");
        several.findElement(By.tagName("button")).click();
        waitFor("the picked face's result", () -> browser.findElements(By.cssSelector("#enroll-results li")).get(0).getText()
                .equals("Tony_Blair_0001.jpg: accepted"));
        waitFor("both people listed", () -> rows("#people-table tbody tr").containsAll(List.of("Colin_Powell", "Tony_Blair")));
    }

    @Test
    @Order(2)
    void streamedPeopleShowLiveWithTheirNames() throws Exception {
        open("#live");
        long colin = send("gate-1", image("Colin_Powell", 5));
        long tony = send("gate-2", image("Tony_Blair", 5));
        waitFor("Colin Powell live", () -> !live("gate-1", colin, "Colin_Powell").isEmpty());
        waitFor("Tony Blair live", () -> !live("gate-2", tony, "Tony_Blair").isEmpty());
        assertTrue(live("gate-1", colin, "Colin_Powell").get(0).getText().contains("Colin Powell"), "the name is shown");
        waitFor("both cameras in the grid", () -> browser.findElements(By.cssSelector("#camera-grid figure svg rect")).size() >= 2);

        // the identity filter hides the other person; pause holds new matches back
        browser.findElement(By.id("live-identity")).sendKeys("colin");
        assertFalse(live("gate-1", colin, "Colin_Powell").get(0).getAttribute("hidden") != null, "Colin stays");
        assertTrue(live("gate-2", tony, "Tony_Blair").get(0).getAttribute("hidden") != null, "Tony is filtered out");
        browser.findElement(By.id("live-identity")).clear();
        browser.findElement(By.id("live-identity")).sendKeys(" ");
        screenshot("live");

        // an operator says this recognition is wrong: a labelled negative lands on the labels topic
        live("gate-1", colin, "Colin_Powell").get(0).findElement(By.className("mark")).click();
        waitFor("the confirmation", () -> browser.findElement(By.id("confirm")).isDisplayed());
        browser.findElement(By.id("confirm-ok")).click();
        waitFor("the mark", () -> live("gate-1", colin, "Colin_Powell").get(0).getText().contains("marked wrong"));
        JsonNode label = firstLabel();
        assertEquals("wrong-identity", label.get("kind").asText());
        assertEquals("Colin_Powell", label.get("identity").asText());
        assertEquals(colin, label.get("sequence").asLong());
        assertEquals(USER, label.get("marked_by").asText());
        assertEquals(512, label.get("embedding").size(), "the face's embedding goes with the label");
    }

    @Test
    @Order(3)
    void aRecurringUnknownPersonIsGroupedAndNamed() throws Exception {
        open("#live");
        long first = send("gate-4", image("Vladimir_Putin", 1));
        long second = send("gate-4", image("Vladimir_Putin", 2));
        waitFor("both unknown frames live", () -> !live("gate-4", first, "unknown").isEmpty() && !live("gate-4", second, "unknown").isEmpty());
        open("#review");
        waitFor("a group of two faces", () -> browser.findElements(By.cssSelector("#review-groups > li")).stream()
                .anyMatch(g -> Integer.parseInt(g.getAttribute("data-size")) >= 2));
        screenshot("review");
        WebElement group = browser.findElements(By.cssSelector("#review-groups > li")).get(0);
        assertTrue(Integer.parseInt(group.getAttribute("data-size")) >= 2, "the largest group comes first");
        group.findElement(By.cssSelector("input[id^=review-id]")).sendKeys("Vladimir_Putin");
        group.findElement(By.cssSelector("input[id^=review-name]")).sendKeys("Vladimir Putin");
        group.findElement(By.cssSelector("button[type=submit]")).click();
        waitFor("the naming", () -> group.findElement(By.cssSelector("p[role=status]")).getText().startsWith("Vladimir Putin enrolled from"));

        open("#live");
        long later = send("gate-4", image("Vladimir_Putin", 5));
        waitFor("Vladimir Putin recognized", () -> !live("gate-4", later, "Vladimir_Putin").isEmpty());
    }

    @Test
    @Order(4)
    void aDeletedPersonBecomesUnknown() throws Exception {
        open("#people/Tony_Blair");
        waitFor("the person page", () -> browser.findElement(By.id("person-title")).getText().equals("Tony Blair"));
        waitFor("recent recognitions", () -> !browser.findElements(By.cssSelector("#person-recent li")).isEmpty());
        waitFor("the two samples", () -> browser.findElements(By.cssSelector("#person-samples li")).size() == 2);
        // each sample shows its aligned crop, read back from the enrollment topic
        waitFor("the crops", () -> browser.findElements(By.cssSelector("#person-samples li img")).stream()
                .filter(img -> ((Number) ((JavascriptExecutor) browser).executeScript(
                        "return arguments[0].complete ? arguments[0].naturalWidth : 0", img)).intValue() > 0).count() == 2);
        browser.findElements(By.cssSelector("#person-samples li img"))
                .forEach(img -> assertTrue(img.getAttribute("alt").startsWith("face crop of "), img.getAttribute("alt")));
        screenshot("person");

        // one sample deleted: the person stays, with one sample
        browser.findElements(By.cssSelector("#person-samples li button")).get(0).click();
        waitFor("the confirmation", () -> browser.findElement(By.id("confirm")).isDisplayed());
        browser.findElement(By.id("confirm-ok")).click();
        waitFor("one sample left", () -> browser.findElements(By.cssSelector("#person-samples li")).size() == 1
                && browser.findElement(By.id("person-status")).getText().endsWith("deleted"));
        assertTrue(browser.findElement(By.id("person-facts")).getText().contains("Samples\n1"), browser.findElement(By.id("person-facts")).getText());

        browser.findElement(By.id("person-delete")).click();
        waitFor("the confirmation", () -> browser.findElement(By.id("confirm")).isDisplayed());
        browser.findElement(By.id("confirm-ok")).click();
        waitFor("the deletion to reach matching",
                () -> browser.findElement(By.id("person-status")).getText().contains("no longer matched"));

        open("#live");
        long after = send("gate-2", image("Tony_Blair", 5));
        waitFor("the frame after the deletion", () -> !live("gate-2", after, null).isEmpty());
        List<WebElement> faces = live("gate-2", after, null);
        assertTrue(faces.stream().noneMatch(f -> "Tony_Blair".equals(f.getAttribute("data-identity"))), "Tony is no longer recognized");
        assertEquals("unknown", faces.stream().filter(f -> "0".equals(f.getAttribute("data-face"))).findFirst().orElseThrow()
                .getAttribute("data-identity"));
    }

    @Test
    @Order(5)
    void thresholdPreviewAndModelRollBack() throws Exception {
        FacePipelineConfig config = FacePipelineConfig.from(Settings.load(null));
        Path store = work.resolve("store");
        open("#models");
        waitFor("the active model", () -> !browser.findElement(By.id("models-active")).getText().isBlank());
        String first = browser.findElement(By.id("models-active")).getText();

        // a second model (weights changed by about 1%) is published and promoted automatically
        ModelEvent stored = TestModels.store(store, TestModels.perturbed(config.embedding().file(), work.resolve("v2.onnx"), 42, 0.01),
                first, Map.of("heldout_identities.auc", 0.998, "heldout_identities.tar_at_far_1pct", 0.991));
        // with the curves the trainer publishes: the new model's and, on the same pairs, its parent's
        ModelEvent second = ModelEvent.of(stored.sha256(), first, stored.location(), stored.metrics(), stored.createdMillis(), null,
                Map.of("heldout_identities", new RocCurve(List.of(0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0),
                        List.of(0.82, 0.9, 0.95, 0.975, 0.99, 0.997, 1.0), List.of(0.7, 0.8, 0.9, 0.95, 0.98, 0.995, 1.0))));
        producer.send(new ProducerRecord<>("models", second.modelVersion(), ModelEventCodec.encode(second))).get();
        waitFor("the second model to be active and its promotion finished", () -> {
            open("#models");
            return !browser.findElement(By.id("models-active")).getText().equals(first)
                    && browser.findElement(By.id("models-previous")).getText().equals(first)
                    && browser.findElement(By.id("models-rollback")).isEnabled();
        });

        producer.send(new ProducerRecord<>("frames", "gate-1", "not an image".getBytes(StandardCharsets.UTF_8))).get();
        waitFor("the dead letter with its reason", () -> {
            open("#models");
            return browser.findElements(By.cssSelector("#dead-letters tbody td")).stream().anyMatch(td -> td.getText().startsWith("not-an-image"));
        });

        WebElement threshold = browser.findElement(By.id("threshold"));
        threshold.clear();
        threshold.sendKeys("0.99");
        waitFor("the preview", () -> browser.findElement(By.id("threshold-preview")).getText().matches("would accept 0 of the last [1-9]\\d* faces"));
        threshold.clear();
        threshold.sendKeys("-1");
        waitFor("the preview", () -> browser.findElement(By.id("threshold-preview")).getText().matches("would accept (\\d+) of the last \\1 faces"));
        // the new model's ROC curve is plotted (uPlot draws on a canvas); the first model published none
        WebElement roc = browser.findElement(By.cssSelector("#models-roc figure[data-version='" + second.modelVersion() + "']"));
        assertEquals("heldout_identities", roc.getAttribute("data-set"));
        WebElement canvas = roc.findElement(By.cssSelector(".uplot canvas"));
        // drawn, not just created: a chart that failed while drawing leaves a blank canvas
        waitFor("the chart to be drawn", () -> ((Number) ((JavascriptExecutor) browser).executeScript(
                "const c = arguments[0], d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                        + " let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n;", canvas)).intValue() > 1000);
        assertTrue(roc.findElement(By.cssSelector("[role=img]")).getAttribute("aria-label").contains("0.950 at 1% false accepts, parent 0.900"),
                roc.findElement(By.cssSelector("[role=img]")).getAttribute("aria-label"));
        assertTrue(browser.findElement(By.cssSelector("#models-roc p[data-version='" + first + "']")).getText().endsWith("no curve published"));
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'})", roc);
        screenshot("models");
        ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0)");

        browser.findElement(By.id("models-rollback")).click();
        waitFor("the confirmation", () -> browser.findElement(By.id("confirm")).isDisplayed());
        browser.findElement(By.id("confirm-ok")).click();
        waitFor("the first model to be active again", () -> browser.findElement(By.id("models-active")).getText().equals(first));
        assertNotEquals(first, browser.findElement(By.id("models-previous")).getText());
    }

    @Test
    @Order(6)
    void aPersonEnrolledFromTheWebcamIsRecognizedInTheStream() throws Exception {
        open("#people");
        browser.findElement(By.id("enroll-id")).sendKeys("Hugo_Chavez");
        browser.findElement(By.id("enroll-name")).sendKeys("Hugo Chavez");
        browser.findElement(By.id("webcam-start")).click();
        waitFor("the webcam picture", () -> ((Number) ((JavascriptExecutor) browser)
                .executeScript("return document.getElementById('webcam-video').videoWidth")).intValue() > 0);
        browser.findElement(By.id("webcam-capture")).click();
        waitFor("the photo", () -> !browser.findElements(By.cssSelector("#webcam-shots img")).isEmpty());
        screenshot("people-webcam");
        browser.findElement(By.id("enroll-submit")).click();
        waitFor("the webcam photo's result", () -> browser.findElements(By.cssSelector("#enroll-results li")).stream()
                .anyMatch(li -> li.getText().equals("webcam photo 1: accepted")));

        open("#live");
        long frame = send("gate-3", image("Hugo_Chavez", 5));
        waitFor("Hugo Chavez live", () -> !live("gate-3", frame, "Hugo_Chavez").isEmpty());
    }

    private static void enrollFromFiles(String id, String name, Path... files) {
        List<String> results = submitFiles(id, name, files);
        assertTrue(results.stream().anyMatch(r -> r.endsWith(": accepted")), results.toString());
    }

    /** Enrolls the files through the form and returns the result of each image once all are in. */
    private static List<String> submitFiles(String id, String name, Path... files) {
        WebElement idField = browser.findElement(By.id("enroll-id"));
        idField.clear();
        idField.sendKeys(id);
        WebElement nameField = browser.findElement(By.id("enroll-name"));
        nameField.clear();
        nameField.sendKeys(name);
        browser.findElement(By.id("enroll-files")).sendKeys(String.join("\n",
                java.util.Arrays.stream(files).map(ConsoleBrowserTest::canonical).toList()));
        browser.findElement(By.id("enroll-submit")).click();
        waitFor("a result per image", () -> {
            List<WebElement> results = browser.findElements(By.cssSelector("#enroll-results li"));
            return results.size() == files.length && results.stream().noneMatch(li -> li.getText().endsWith("enrolling…"));
        });
        List<String> results = browser.findElements(By.cssSelector("#enroll-results li")).stream().map(WebElement::getText).toList();
        for (Path file : files) {
            assertTrue(results.stream().anyMatch(r -> r.startsWith(file.getFileName() + ": ")), results.toString());
        }
        ((JavascriptExecutor) browser).executeScript("document.getElementById('enroll-files').value = ''");
        return results;
    }

    private static JsonNode firstLabel() throws Exception {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.GROUP_ID_CONFIG, "labels-check"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("labels"));
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    return new ObjectMapper().readTree(record.value());
                }
            }
        }
        throw new AssertionError("no record on the labels topic");
    }

    /** Chromedriver takes only canonical paths for uploads. */
    private static String canonical(Path file) {
        try {
            return file.toRealPath().toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Live items of one frame, of one identity (null: any). */
    private static List<WebElement> live(String camera, long frame, String identity) {
        return browser.findElements(By.cssSelector("#live-list li")).stream()
                .filter(li -> camera.equals(li.getAttribute("data-camera")) && String.valueOf(frame).equals(li.getAttribute("data-sequence")))
                .filter(li -> identity == null || identity.equals(li.getAttribute("data-identity"))).toList();
    }

    private static List<String> rows(String selector) {
        return browser.findElements(By.cssSelector(selector)).stream().map(r -> r.getAttribute("data-id")).toList();
    }

    /** Loads the page afresh (a change of the hash alone would keep the page and its form values). */
    private static void open(String hash) {
        browser.get("about:blank");
        browser.get(server.getURL() + "/console/" + hash);
        waitFor("the session", () -> browser.findElement(By.id("user")).getText().contains(USER));
    }

    private static long send(String camera, Path image) throws Exception {
        long seq = ++sequence;
        RecordHeaders headers = new RecordHeaders();
        FrameRecordHeaders.put(headers, FrameHeaders.CAMERA, camera);
        FrameRecordHeaders.put(headers, FrameHeaders.SEQUENCE, Long.toString(seq));
        FrameRecordHeaders.put(headers, FrameHeaders.CAPTURE_TIMESTAMP, Long.toString(System.currentTimeMillis()));
        FrameRecordHeaders.put(headers, FrameHeaders.CONTENT_TYPE, "image/jpeg");
        producer.send(new ProducerRecord<>("frames", null, camera, Files.readAllBytes(image), headers)).get();
        return seq;
    }

    private static Path image(String identity, int number) {
        return lfw.resolve(identity).resolve(String.format("%s_%04d.jpg", identity, number));
    }

    private static void screenshot(String name) throws Exception {
        Files.write(screenshots.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    private static void waitFor(String what, java.util.function.BooleanSupplier condition) {
        waitFor(what, condition, () -> "");
    }

    /** Waits; on a timeout the message also gives {@code state}, what the page showed. */
    private static void waitFor(String what, java.util.function.BooleanSupplier condition, java.util.function.Supplier<String> state) {
        new WebDriverWait(browser, PATIENCE, Duration.ofMillis(250)).withMessage(() -> "waiting for " + what + " " + state.get())
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> condition.getAsBoolean());
    }
}
