package dev.basalt.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
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

/**
 * libiscsi's conformance suite, {@code iscsi-test-cu -d -t ALL}, run against one LUN, and what the target
 * is expected to pass ({@code conformance/expected-pass.txt}): for Basalt's target on a file
 * ({@link ConformanceTest}) and on any other store the target serves (an RBD image, in basalt-it).
 */
public final class ConformanceSuite {
    private static final Pattern SUITE = Pattern.compile("<CUNIT_RUN_SUITE>(.*?)</CUNIT_RUN_SUITE>", Pattern.DOTALL);
    private static final Pattern SUITE_NAME = Pattern.compile("<SUITE_NAME>\\s*(.*?)\\s*</SUITE_NAME>");
    private static final Pattern RECORD = Pattern.compile("<CUNIT_RUN_TEST_RECORD>(.*?)</CUNIT_RUN_TEST_RECORD>", Pattern.DOTALL);
    private static final Pattern TEST_NAME = Pattern.compile("<TEST_NAME>\\s*(.*?)\\s*</TEST_NAME>");

    private ConformanceSuite() {
    }

    /** Suite.Test to passed, for every test of one run. */
    public record Outcome(Map<String, Boolean> tests) {

        /** Expected tests that failed. */
        public TreeSet<String> failing(TreeSet<String> expected) {
            TreeSet<String> failing = new TreeSet<>();
            tests.forEach((test, passed) -> {
                if (!passed && expected.contains(test)) {
                    failing.add(test);
                }
            });
            return failing;
        }

        /** Expected tests that did not run. */
        public TreeSet<String> missing(TreeSet<String> expected) {
            TreeSet<String> missing = new TreeSet<>(expected);
            missing.removeAll(tests.keySet());
            return missing;
        }

        /** Tests that passed and are not listed, so that the list can grow. */
        public TreeSet<String> newlyPassing(TreeSet<String> expected) {
            TreeSet<String> passing = new TreeSet<>();
            tests.forEach((test, passed) -> {
                if (passed && !expected.contains(test)) {
                    passing.add(test);
                }
            });
            return passing;
        }

        public long passed() {
            return tests.values().stream().filter(p -> p).count();
        }
    }

    /**
     * Runs the whole suite against {@code url} in {@code dir} (its output and CUnit's results stay there) and
     * returns each test's outcome; fails when the tool wrote no results or died.
     */
    public static Outcome run(Path dir, String url, Duration limit) throws IOException, InterruptedException {
        return run(dir, url, limit, "ALL");
    }

    private static Outcome run(Path dir, String url, Duration limit, String tests)
            throws IOException, InterruptedException {
        Files.deleteIfExists(dir.resolve("CUnitAutomated-Results.xml"));
        // SIGPIPE ignored, as any initiator daemon does: a test that makes the target drop the
        // connection while libiscsi still writes must fail that test, not kill the whole run
        ExternalTools.Run run = ExternalTools.run(dir, limit, "sh", "-c", "trap '' PIPE; exec \"$@\"",
                "iscsi-test-cu", "iscsi-test-cu", "-d", "-x", url, "-t", tests);
        String output = run.output();
        Files.writeString(dir.resolve("iscsi-test-cu.out"), output);
        Path results = dir.resolve("CUnitAutomated-Results.xml");
        assertThat(results).as("iscsi-test-cu wrote no results: %s", output).exists();
        assertThat(run.exitCode()).as("iscsi-test-cu died (exit %d); the end of its output:%n%s", run.exitCode(),
                tail(output, 3000)).isLessThan(128);
        return new Outcome(parse(Files.readString(results)));
    }

    /** Runs the suite and checks that every expected test ran and passed; prints the tally. */
    public static Outcome runAndCheck(Path dir, String url, Duration limit) throws IOException, InterruptedException {
        return check(run(dir, url, limit), url, expectedPasses(), dir);
    }

    /**
     * Runs only the named suites (e.g. {@code Read16}, {@code Unmap}) and checks that every expected test of
     * theirs ran and passed: for a store whose differences from a file lie in its block I/O alone.
     */
    public static Outcome runAndCheck(Path dir, String url, Duration limit, List<String> suites)
            throws IOException, InterruptedException {
        TreeSet<String> expected = new TreeSet<>();
        expectedPasses().stream().filter(test -> suites.contains(test.substring(0, test.indexOf('.'))))
                .forEach(expected::add);
        assertThat(suites).as("suites with no expected test").allMatch(suite -> expected.stream()
                .anyMatch(test -> test.startsWith(suite + ".")));
        String tests = String.join(",", suites.stream().map(suite -> "ALL." + suite).toList());
        return check(run(dir, url, limit, tests), url, expected, dir);
    }

    private static Outcome check(Outcome outcome, String url, TreeSet<String> expected, Path dir) {
        System.out.printf("iscsi-test-cu on %s: %d of %d tests passed; expected %d; newly passing %s%n", url,
                outcome.passed(), outcome.tests().size(), expected.size(), outcome.newlyPassing(expected));
        assertThat(outcome.missing(expected)).as("expected tests that did not run").isEmpty();
        assertThat(outcome.failing(expected)).as("expected tests that failed (see %s)", dir.resolve("iscsi-test-cu.out"))
                .isEmpty();
        return outcome;
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

    /** The tests Basalt's target passes, from {@code conformance/expected-pass.txt}. */
    public static TreeSet<String> expectedPasses() throws IOException {
        try (InputStream in = ConformanceSuite.class.getResourceAsStream("/conformance/expected-pass.txt")) {
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
