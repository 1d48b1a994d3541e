package pinreplay.campaign.spec;

import java.util.List;

/** A named list of injector specs, each passed as one {@code --inject SPEC}; empty for no faults. */
public record InjectorSet(String name, List<String> specs) {
}
