package pinreplay.campaign.spec;

import java.util.List;
import java.util.Map;

/**
 * An {@code expect} entry: selectors over the matrix axes ({@code when}) and the fields it sets.
 * Rules apply in spec order; a later matching rule overrides the fields it sets.
 *
 * @param when        axis name ({@code trace kernel policy injectors seed}) to accepted values; an absent axis matches all
 * @param violations  null when the rule does not set it
 * @param stalls      null when the rule does not set it
 * @param divergences null when the rule does not set it
 */
public record ExpectRule(Map<String, List<String>> when, List<String> violations, Boolean stalls,
        Boolean divergences) {

    boolean matches(String axis, String value) {
        List<String> accepted = when.get(axis);
        return accepted == null || accepted.contains(value);
    }
}
