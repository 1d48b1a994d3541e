package pinreplay.campaign.report;

import java.util.List;
import java.util.stream.Collectors;

import pinreplay.campaign.Attempt;
import pinreplay.campaign.CampaignResult;
import pinreplay.campaign.CellOutcome;
import pinreplay.campaign.Status;

/**
 * {@code junit.xml} in Surefire's schema (surefire-test-report.xsd, version 3.0.2), so CI test views read it:
 * one {@code testcase} per cell; a failing cell has {@code failure} (an error has {@code error}) and,
 * after reruns, one {@code rerunFailure} per extra failed run; a flaky cell passes with one
 * {@code flakyFailure} per failed run, as Surefire's {@code rerunFailingTestsCount} reports them; an expected
 * failure (xfail: exactly the findings the spec expects) is {@code skipped} with what was expected, as
 * Surefire reports a test that is known to fail and disabled.
 * Times are 0: wall time would make the file differ between runs.
 */
public final class JunitXml {
    private JunitXml() {
    }

    public static String of(CampaignResult r) {
        String suite = "pinreplay.campaign." + r.info().name();
        Xml x = new Xml();
        x.start("testsuite",
                "xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance",
                "xsi:noNamespaceSchemaLocation",
                "https://maven.apache.org/surefire/maven-surefire-plugin/xsd/surefire-test-report.xsd",
                "version", "3.0.2", "name", suite, "time", "0",
                "tests", Integer.toString(r.cells().size()),
                "errors", Long.toString(r.count(Status.ERROR)),
                "skipped", Long.toString(r.count(Status.XFAIL)),
                "failures", Long.toString(r.count(Status.FAIL)),
                "flakes", Long.toString(r.count(Status.FLAKY)));
        x.start("properties");
        x.leaf("property", null, "name", "campaign", "value", r.info().name());
        x.leaf("property", null, "name", "spec_sha256", "value", r.info().digest());
        x.leaf("property", null, "name", "cells_total", "value", Integer.toString(r.info().cellsTotal()));
        x.end();
        for (CellOutcome o : r.cells()) {
            testcase(x, suite, o);
        }
        x.end();
        return x.finish();
    }

    private static void testcase(Xml x, String suite, CellOutcome o) {
        x.start("testcase", "name", o.cell().id(), "classname", suite + "." + o.cell().trace().name(), "time", "0");
        List<Attempt> attempts = o.attempts();
        Status s = o.status();
        if (s == Status.FAIL || s == Status.ERROR) {
            Attempt first = attempts.get(0);
            String tag = s == Status.ERROR ? "error" : "failure";
            x.leaf(tag, body(o, first), "message", first.reasons().get(0), "type", type(first));
            for (Attempt a : attempts.subList(1, attempts.size())) {
                rerun(x, a.status() == Status.ERROR ? "rerunError" : "rerunFailure", o, a);
            }
        } else if (s == Status.XFAIL) {
            x.leaf("skipped", null, "message", o.cell().expect().describe());
        } else if (s == Status.FLAKY) {
            for (Attempt a : attempts.subList(0, attempts.size() - 1)) {
                rerun(x, a.status() == Status.ERROR ? "flakyError" : "flakyFailure", o, a);
            }
        }
        x.leaf("system-out", "reproduce: " + o.cell().reproduceCommand() + "\n");
        x.end();
    }

    private static void rerun(Xml x, String tag, CellOutcome o, Attempt a) {
        x.start(tag, "message", a.reasons().get(0), "type", type(a));
        x.leaf("stackTrace", body(o, a));
        x.end();
    }

    private static String type(Attempt a) {
        return a.status() == Status.ERROR ? "pinreplay.ReplayError" : "pinreplay.UnexpectedOutcome";
    }

    private static String body(CellOutcome o, Attempt a) {
        return a.reasons().stream().map(reason -> reason + "\n").collect(Collectors.joining())
                + "reproduce: " + o.cell().reproduceCommand() + "\n";
    }
}
