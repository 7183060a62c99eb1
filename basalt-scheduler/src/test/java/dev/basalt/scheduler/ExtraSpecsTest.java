package dev.basalt.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ExtraSpecsTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                // plain equality of the whole requirement
                Arguments.of("LVM", "LVM", true),
                Arguments.of("lvm", "LVM", false),
                Arguments.of(true, "True", true),
                Arguments.of(10, "10", true),
                Arguments.of(null, "x", false),
                Arguments.of(null, null, true),
                Arguments.of("x", null, false),
                Arguments.of("", "", true),
                // <is>: oslo's bool_from_string on both sides
                Arguments.of(true, "<is> True", true),
                Arguments.of(false, "<is> True", false),
                Arguments.of("yes", "<is> true", true),
                Arguments.of("on", "<is> 1", true),
                Arguments.of("no", "<is> False", true),
                Arguments.of("banana", "<is> False", true),
                Arguments.of(true, "<is>", false),
                Arguments.of(null, "<is> False", false),
                // <in>: substring
                Arguments.of("ssd fast", "<in> fast", true),
                Arguments.of("slow", "<in> fast", false),
                Arguments.of("x", "<in>", false),
                // <all-in>: every operand
                Arguments.of("a b c", "<all-in> a c", true),
                Arguments.of("a b", "<all-in> a z", false),
                // <or>: one of
                Arguments.of("nvme", "<or> ssd <or> nvme", true),
                Arguments.of("ssd", "<or> ssd <or> nvme", true),
                Arguments.of("hdd", "<or> ssd <or> nvme", false),
                Arguments.of("nvme", "<or> nvme", true),
                // = : numeric at least
                Arguments.of(20, "= 10", true),
                Arguments.of(10, "= 10", true),
                Arguments.of(5, "= 10", false),
                Arguments.of("abc", "= 10", false),
                Arguments.of("12.5", "= 10", true),
                // numeric comparisons
                Arguments.of(10.0, "== 10", true),
                Arguments.of("10", "== 10.0", true),
                Arguments.of(11, "== 10", false),
                Arguments.of(11, "!= 10", true),
                Arguments.of(10, "!= 10", false),
                Arguments.of(10, ">= 10", true),
                Arguments.of(9, ">= 10", false),
                Arguments.of(10, "<= 10", true),
                Arguments.of(11, "<= 10", false),
                Arguments.of(" 1e3 ", ">= 999", true),
                Arguments.of("inf", ">= 1000000", true),
                Arguments.of("ten", "<= 10", false),
                Arguments.of(true, "== 1", true),
                // string comparisons
                Arguments.of("abc", "s== abc", true),
                Arguments.of("abd", "s== abc", false),
                Arguments.of("abd", "s!= abc", true),
                Arguments.of("abc", "s!= abc", false),
                Arguments.of("a", "s< b", true),
                Arguments.of("c", "s< b", false),
                Arguments.of("b", "s<= b", true),
                Arguments.of("c", "s<= b", false),
                Arguments.of("c", "s> b", true),
                Arguments.of("b", "s> b", false),
                Arguments.of("b", "s>= b", true),
                Arguments.of("a", "s>= b", false),
                Arguments.of("10", "s< 9", true));
    }

    @ParameterizedTest(name = "{0} vs \"{1}\" -> {2}")
    @MethodSource("cases")
    void matchesLikeCinder(Object capability, String requirement, boolean matches) {
        assertThat(ExtraSpecs.satisfies(capability, requirement)).isEqualTo(matches);
    }

    static Stream<Arguments> listCases() {
        return Stream.of(
                Arguments.of(List.of("iSCSI", "iser"), "iser", true),
                Arguments.of(List.of("iSCSI", "iser"), "FC", false),
                Arguments.of(List.of("iSCSI", "iser"), "<or> FC <or> iSCSI", true),
                Arguments.of(List.of(1, 5, 9), ">= 8", true),
                Arguments.of(List.of(1, 5), ">= 8", false),
                Arguments.of(List.of("a", "b", "c"), "<all-in> a c", true),
                Arguments.of(List.of("a", "b"), "<all-in> a c", false),
                Arguments.of(List.of(), "x", false));
    }

    @ParameterizedTest(name = "{0} vs \"{1}\" -> {2}")
    @MethodSource("listCases")
    void aListMatchesWhenAnyElementDoes(Object capability, String requirement, boolean matches) {
        assertThat(ExtraSpecs.satisfies(capability, requirement)).isEqualTo(matches);
    }
}
