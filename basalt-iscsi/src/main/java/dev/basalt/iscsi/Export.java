package dev.basalt.iscsi;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the target serves under one iSCSI target name.
 *
 * @param iqn the target name initiators log in to (kept in lower case)
 * @param luns its logical units, at least one, numbers unique (kept in number order)
 * @param chap when present, initiators must authenticate with CHAP as this user and secret;
 *     when absent, no authentication is asked
 * @param mutualChap when present (only with {@code chap}), the target's own credentials, given to
 *     initiators that ask the target to authenticate itself (mutual CHAP); its secret must differ
 *     from the initiator's
 * @param initiators initiator names allowed to log in (and to see this export in discovery);
 *     empty means any initiator
 */
public record Export(String iqn, List<Lun> luns, Optional<ChapCredentials> chap,
                     Optional<ChapCredentials> mutualChap, Set<String> initiators) {

    public Export {
        iqn = Iqn.requireValid(requireNonNull(iqn, "iqn"), "target name");
        requireNonNull(luns, "luns");
        requireNonNull(chap, "chap");
        requireNonNull(mutualChap, "mutualChap");
        requireNonNull(initiators, "initiators");
        if (luns.isEmpty()) {
            throw new IllegalArgumentException("an export needs at least one LUN");
        }
        List<Lun> sorted = new ArrayList<>(luns);
        sorted.sort(Comparator.comparingInt(Lun::number));
        Set<Integer> numbers = new HashSet<>();
        for (Lun lun : sorted) {
            if (!numbers.add(lun.number())) {
                throw new IllegalArgumentException("LUN " + lun.number() + " given twice");
            }
        }
        luns = List.copyOf(sorted);
        if (mutualChap.isPresent() && chap.isEmpty()) {
            throw new IllegalArgumentException("mutual CHAP needs CHAP credentials for the initiator too");
        }
        if (mutualChap.isPresent() && mutualChap.get().secret().equals(chap.get().secret())) {
            throw new IllegalArgumentException("the target's CHAP secret must differ from the initiator's");
        }
        Set<String> names = new LinkedHashSet<>();
        for (String initiator : initiators) {
            names.add(Iqn.requireValid(initiator, "initiator name"));
        }
        initiators = Set.copyOf(names);
    }

    /** An export without authentication, open to any initiator. */
    public static Export of(String iqn, List<Lun> luns) {
        return new Export(iqn, luns, Optional.empty(), Optional.empty(), Set.of());
    }

    public Export withChap(String user, String secret) {
        return new Export(iqn, luns, Optional.of(new ChapCredentials(user, secret)), mutualChap, initiators);
    }

    public Export withMutualChap(String user, String secret) {
        return new Export(iqn, luns, chap, Optional.of(new ChapCredentials(user, secret)), initiators);
    }

    public Export withInitiators(Set<String> allowed) {
        return new Export(iqn, luns, chap, mutualChap, allowed);
    }

    /** Whether an initiator of this name may log in. */
    public boolean admits(String initiatorName) {
        return initiators.isEmpty() || initiators.contains(Iqn.normalize(initiatorName));
    }

    public Optional<Lun> lun(int number) {
        return luns.stream().filter(l -> l.number() == number).findFirst();
    }
}
