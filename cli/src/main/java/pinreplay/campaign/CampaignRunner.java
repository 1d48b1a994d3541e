package pinreplay.campaign;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import pinreplay.campaign.spec.CampaignSpec;
import pinreplay.cli.ExitCodes;
import pinreplay.campaign.spec.TraceSpec;

/**
 * Runs a shard of a campaign's matrix on a fixed pool of {@code jobs} threads: prepares each trace
 * once, runs its cells (rerunning failures up to the spec's {@code reruns}), then minimizes the
 * traces of cells that failed with a violation. Results are collected in matrix order, never in
 * completion order; progress goes to {@code log} (stderr), which is the only place timing appears: a line per
 * cell on a terminal, else only for cells that did not pass. A cell that takes longer than the timeout is an
 * error and the campaign goes on (its replay, which cannot be stopped from outside, is left to a daemon thread).
 */
public final class CampaignRunner {
    private final CellRunner runner;
    private final Campaign.Settings settings;
    private final PrintWriter log;
    /** Cell replays run here so that the pool thread can stop waiting for one that does not end. */
    private final ExecutorService replays = Executors.newCachedThreadPool(task -> {
        Thread t = new Thread(task, "campaign-cell");
        t.setDaemon(true);
        return t;
    });

    public CampaignRunner(CellRunner runner, Campaign.Settings settings) {
        this.runner = runner;
        this.settings = settings;
        this.log = settings.log();
    }

    public List<CellOutcome> run(CampaignSpec spec, List<Cell> cells, Path workDir) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(settings.jobs());
        try {
            Map<String, Prepared> traces = prepare(pool, cells, workDir);
            AtomicInteger done = new AtomicInteger();
            List<Future<CellOutcome>> runs = new ArrayList<>();
            for (Cell c : cells) {
                runs.add(pool.submit(() -> {
                    CellOutcome o = runCell(spec, c, traces.get(c.trace().name()));
                    int n = done.incrementAndGet();
                    if (settings.everyCell() || o.status() != Status.PASS && o.status() != Status.XFAIL) {
                        log.printf("[%d/%d] %s: %s%n", n, cells.size(), c.id(), o.status().label());
                        log.flush();
                    }
                    return o;
                }));
            }
            List<CellOutcome> outcomes = collect(runs);
            if (!spec.minimize()) {
                return outcomes;
            }
            TraceMinimizer minimizer = new TraceMinimizer(runner, workDir, spec.minimizeRuns());
            List<Future<CellOutcome>> minimized = new ArrayList<>();
            for (CellOutcome o : outcomes) {
                minimized.add(pool.submit(() -> withRepro(o, traces.get(o.cell().trace().name()), minimizer)));
            }
            return collect(minimized);
        } finally {
            pool.shutdownNow();
            replays.shutdownNow();
        }
    }

    /** A trace once prepared, or why it could not be. */
    private record Prepared(PreparedTrace trace, String error) {
    }

    private Map<String, Prepared> prepare(ExecutorService pool, List<Cell> cells, Path workDir)
            throws InterruptedException {
        Map<String, Future<Prepared>> futures = new LinkedHashMap<>();
        for (Cell c : cells) {
            TraceSpec t = c.trace();
            futures.computeIfAbsent(t.name(), n -> pool.submit(() -> {
                try {
                    return new Prepared(runner.prepare(t, workDir), null);
                } catch (IOException | RuntimeException e) {
                    return new Prepared(null, "trace " + t.name() + " could not be prepared: " + message(e));
                }
            }));
        }
        Map<String, Prepared> out = new LinkedHashMap<>();
        for (Map.Entry<String, Future<Prepared>> e : futures.entrySet()) {
            out.put(e.getKey(), get(e.getValue()));
        }
        return out;
    }

    private CellOutcome runCell(CampaignSpec spec, Cell cell, Prepared trace) throws InterruptedException {
        if (trace.trace() == null) {
            Attempt a = new Attempt(Status.ERROR, 3, List.of(trace.error()));
            return new CellOutcome(cell, List.of(a), CellResult.error(3, trace.error()), Outcomes.none(), null);
        }
        List<Attempt> attempts = new ArrayList<>();
        CellResult result;
        Attempt last;
        do {
            result = runWithTimeout(cell, trace.trace());
            last = Judge.judge(cell, result);
            attempts.add(last);
        } while (last.status().failing() && attempts.size() <= spec.reruns());
        Outcomes outcomes = last.status() == Status.ERROR ? Outcomes.none() : result.outcomes();
        return new CellOutcome(cell, attempts, result, outcomes, null);
    }

    /** The cell's replay, or an error result when it throws or outlasts the timeout. */
    private CellResult runWithTimeout(Cell cell, PreparedTrace trace) throws InterruptedException {
        Future<CellResult> f = replays.submit(() -> runner.run(cell, trace));
        try {
            return f.get(settings.cellTimeoutSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            return CellResult.error(ExitCodes.INTERRUPTED, "the replay did not end within "
                    + settings.cellTimeoutSeconds() + " s (--cell-timeout): reported as an error");
        } catch (ExecutionException e) {
            return CellResult.error(ExitCodes.forException(e.getCause()), message(e.getCause()));
        }
    }

    private CellOutcome withRepro(CellOutcome o, Prepared trace, TraceMinimizer minimizer) throws IOException {
        if (o.status() != Status.FAIL || trace.trace() == null) {
            return o;
        }
        var kinds = Judge.unexpectedKinds(o.cell(), o.outcomes());
        if (kinds.isEmpty()) {
            return o;
        }
        Repro r = minimizer.minimize(o.cell(), trace.trace(), kinds.iterator().next());
        log.printf("minimized %s: %d of %d events still give %s%n", o.cell().id(), r.eventsAfter(), r.eventsBefore(), r.kind());
        log.flush();
        return new CellOutcome(o.cell(), o.attempts(), o.result(), o.outcomes(), r);
    }

    private static List<CellOutcome> collect(List<Future<CellOutcome>> futures) throws InterruptedException {
        List<CellOutcome> out = new ArrayList<>();
        for (Future<CellOutcome> f : futures) {
            out.add(get(f));
        }
        return out;
    }

    private static <T> T get(Future<T> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw new java.io.UncheckedIOException(io);
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        }
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
