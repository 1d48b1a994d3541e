package pinreplay.campaign.spec;

import java.util.Map;

/** A named set of replay policies, passed as {@code --policy key=value} in spec order. */
public record PolicySet(String name, Map<String, String> settings) {
}
