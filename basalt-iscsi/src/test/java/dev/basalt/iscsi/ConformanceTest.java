package dev.basalt.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * libiscsi's conformance suite, {@code iscsi-test-cu -d -t ALL}, against a 1 GiB thin LUN. Every
 * test listed in {@code conformance/expected-pass.txt} must pass; a test passing that is not
 * listed is reported, so the list can grow.
 */
class ConformanceTest {
    private static final String IQN = "iqn.2024-01.dev.basalt:conformance";
    private static final Pattern SUITE = Pattern.compile("<CUNIT_RUN_SUITE>(.*?)</CUNIT_RUN_SUITE>", Pattern.DOTALL);
    private static final Pattern SUITE_NAME = Pattern.compile("<SUITE_NAME>\\s*(.*?)\\s*</SUITE_NAME>");
    private static final Pattern RECORD = Pattern.compile("<CUNIT_RUN_TEST_RECORD>(.*?)</CUNIT_RUN_TEST_RECORD>", Pattern.DOTALL);
    private static final Pattern TEST_NAME = Pattern.compile("<TEST_NAME>\\s*(.*?)\\s*</TEST_NAME>");

    @TempDir
    Path dir;

    @Test
    void everyExpectedTestPasses() throws Exception {
        ExternalTools.require("iscsi-test-cu");
        Path disk = dir.resolve("lun0.raw");
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(1L << 30);
        }
        try (IscsiTarget target = new IscsiTarget(TargetConfig.defaults().withAddress("127.0.0.1", 0))) {
            target.start();
            target.addExport(Export.of(IQN, List.of(Lun.readWrite(0, disk, "conformance-0"))));
            String url = "iscsi://127.0.0.1:" + target.address().getPort() + "/" + IQN + "/0";
            // SIGPIPE ignored, as any initiator daemon does: a test that makes the target drop the
            // connection while libiscsi still writes must fail that test, not kill the whole run
            ExternalTools.Run run = ExternalTools.run(dir, Duration.ofMinutes(15), "sh", "-c", "trap '' PIPE; exec \"$@\"",
                    "iscsi-test-cu", "iscsi-test-cu", "-d", "-x", url, "-t", "ALL");
            Files.writeString(dir.resolve("iscsi-test-cu.out"), run.output());
            Path results = dir.resolve("CUnitAutomated-Results.xml");
            assertThat(results).as("iscsi-test-cu wrote no results: %s", run.output()).exists();
            assertThat(run.exitCode()).as("iscsi-test-cu died (exit %d); the end of its output:%n%s", run.exitCode(),
                    tail(run.output(), 3000)).isLessThan(128);
            Map<String, Boolean> outcome = parse(Files.readString(results));
            TreeSet<String> expected = expectedPasses();
            TreeSet<String> failing = new TreeSet<>();
            TreeSet<String> newlyPassing = new TreeSet<>();
            outcome.forEach((test, passed) -> {
                if (!passed && expected.contains(test)) {
                    failing.add(test);
                }
                if (passed && !expected.contains(test)) {
                    newlyPassing.add(test);
                }
            });
            TreeSet<String> missing = new TreeSet<>(expected);
            missing.removeAll(outcome.keySet());
            long passed = outcome.values().stream().filter(p -> p).count();
            System.out.printf("iscsi-test-cu: %d of %d tests passed; expected %d; newly passing %s%n",
                    passed, outcome.size(), expected.size(), newlyPassing);
            assertThat(missing).as("expected tests that did not run").isEmpty();
            assertThat(failing).as("expected tests that failed (see iscsi-test-cu output)").isEmpty();
        }
    }

    private static String tail(String text, int length) {
        return text.length() <= length ? text : text.substring(text.length() - length);
    }

    /** Suite.Test to passed, from CUnit's automated XML; a test reported twice passes only if both records do. */
    static Map<String, Boolean> parse(String xml) {
        Map<String, Boolean> outcome = new LinkedHashMap<>();
        Matcher suites = SUITE.matcher(xml);
        while (suites.find()) {
            String suite = suites.group(1);
            Matcher suiteName = SUITE_NAME.matcher(suite);
            if (!suiteName.find()) {
                continue;
            }
            Matcher records = RECORD.matcher(suite);
            while (records.find()) {
                Matcher test = TEST_NAME.matcher(records.group(1));
                if (test.find()) {
                    boolean passed = records.group(1).contains("CUNIT_RUN_TEST_SUCCESS");
                    outcome.merge(suiteName.group(1) + "." + test.group(1), passed, Boolean::logicalAnd);
                }
            }
        }
        return outcome;
    }

    static TreeSet<String> expectedPasses() throws IOException {
        try (InputStream in = ConformanceTest.class.getResourceAsStream("/conformance/expected-pass.txt")) {
            TreeSet<String> tests = new TreeSet<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    tests.add(t);
                }
            }
            return tests;
        }
    }
}
