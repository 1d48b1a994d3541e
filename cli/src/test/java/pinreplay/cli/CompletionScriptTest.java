package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import pinreplay.cli.completion.Vocabulary;
import pinreplay.format.synth.Params;
import pinreplay.inject.Catalog;

/**
 * {@code pinreplay completion bash}: the script run by bash with the variables bash sets for a completion function
 * ({@code COMP_LINE}, {@code COMP_POINT}, {@code COMP_WORDS}, {@code COMP_CWORD}), in the repository's root, and
 * {@code COMPREPLY} compared with what the core models. {@code COMPREPLY} holds what readline inserts: the text
 * after the last word-break character ({@code :} and {@code =} by default).
 */
class CompletionScriptTest {
    private static Path script;

    @BeforeAll
    static void write(@TempDir Path dir) throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")) || Files.isExecutable(Path.of("/usr/bin/bash")),
                "bash is not installed: the bash completion script cannot be run");
        Run r = Run.of("", "completion", "bash");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        script = dir.resolve("pinreplay.bash");
        Files.writeString(script, r.out());
    }

    /** COMPREPLY for the command line {@code line} with the cursor at its end, as bash's completion sets it up. */
    private static List<String> complete(String line) throws IOException, InterruptedException {
        return run("COMP_LINE=\"$1\"; COMP_POINT=${#COMP_LINE}; read -ra COMP_WORDS <<< \"$1\"; "
                + "[[ $1 == *' ' ]] && COMP_WORDS+=(''); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); ", line);
    }

    private static List<String> run(String setup, String line) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", "source \"$0\"; " + setup
                + "_pinreplay; printf '%s\\n' \"${COMPREPLY[@]}\"", script.toString(), line)
                .directory(Path.of("..").toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        List<String> words = new ArrayList<>(List.of(out.split("\n")));
        words.removeIf(String::isEmpty);
        return words;
    }

    private static List<String> startingWith(List<String> words, String prefix) {
        return words.stream().filter(w -> w.startsWith(prefix)).toList();
    }

    @Test
    void fileNamesWhereAFileIsExpected() throws Exception {
        assertEquals(List.of("traces", "trace-format"), sorted(complete("./pinreplay replay tra")), "replay TRACE");
        assertEquals(List.of("traces/qemu-vfio-fsdax.txt"), complete("pinreplay replay traces/qemu-vfio-f"));
        assertEquals(List.of("traces/qemu-vfio-fsdax.txt"), complete("pinreplay shell --kernel 4.14 traces/qemu-vfio-f"));
        assertTrue(complete("pinreplay replay --hgrm RE").contains("README.md"));
        assertEquals(List.of(), complete("pinreplay ingest --queue READ"), "directories only, not README.md");
        assertEquals(List.of("traces"), complete("pinreplay ingest --queue traces"));
    }

    @Test
    void kernelReleasesFromTheRules() throws Exception {
        List<String> six = startingWith(Vocabulary.releases(), "6.");
        assertTrue(six.contains("6.1") && six.contains("6.15"), six.toString());
        assertEquals(six, complete("pinreplay replay --kernel 6."));
        assertEquals(six, complete("pinreplay diff --against-kernel 6."));
        assertEquals(startingWith(Vocabulary.releases(), "6.1"), complete("pinreplay shell --kernel=6.1"));
    }

    @Test
    void policiesAndTheirValues() throws Exception {
        assertEquals(Vocabulary.policyValues(), complete("pinreplay replay --policy "));
        assertEquals(List.of("allow", "reject"), complete("pinreplay replay --policy longterm-fsdax="));
        assertEquals(List.of("none"), complete("pinreplay diff --against-policy n"));
        assertEquals(List.of(), complete("pinreplay diff --policy n"), "only --against-policy takes none");
    }

    @Test
    void injectorsTheirKeysAndValues() throws Exception {
        assertEquals(Catalog.names(), complete("pinreplay replay --inject "));
        List<String> keys = new ArrayList<>();
        Vocabulary.injectorKeys("mmap-unlock").forEach(k -> keys.add(k.name() + "="));
        assertTrue(keys.contains("race=") && keys.contains("fail-nth="), keys.toString());
        assertEquals(keys, complete("pinreplay replay --inject mmap-unlock:"));
        assertEquals(List.of("none", "munmap", "mprotect", "remap"),
                complete("pinreplay replay --inject mmap-unlock:race="));
        List<String> more = complete("pinreplay shell --inject mmap-unlock:race=none,");
        assertTrue(more.contains("none,fail-nth=") && !more.contains("none,race="), more.toString());
        assertEquals(List.of("0", "1", "2"), complete("pinreplay replay --inject eagain:verbose="));
        assertTrue(complete("pinreplay diff --against-inject ").contains("none"));
    }

    @Test
    void scenariosAndTheirParameters() throws Exception {
        assertEquals(new ArrayList<>(Vocabulary.scenarios().keySet()), complete("pinreplay synth "));
        List<String> params = Vocabulary.params("qemu-vfio").stream().map(p -> p.name() + "=").toList();
        assertEquals(params, complete("pinreplay synth qemu-vfio -p "));
        assertEquals(params, complete("pinreplay synth --seed 3 qemu-vfio --param "));
        List<String> all = Vocabulary.params(null).stream().map(p -> p.name() + "=").toList();
        assertTrue(all.size() > params.size());
        assertEquals(all, complete("pinreplay synth -p "), "no scenario yet: every scenario's parameters");
        Params.Spec fs = Vocabulary.params("qemu-vfio").stream().filter(p -> p.name().equals("fs")).findFirst()
                .orElseThrow();
        assertEquals(fs.choices(), complete("pinreplay synth qemu-vfio -p fs="));
    }

    @Test
    void commandsOptionsAndFixedWords() throws Exception {
        List<String> commands = complete("pinreplay ");
        assertTrue(commands.containsAll(List.of("replay", "diff", "synth", "shell", "completion")), commands.toString());
        assertEquals(List.of("--kernel"), complete("pinreplay replay --ke"));
        assertEquals(List.of("bash"), complete("pinreplay completion b"));
        assertEquals(List.of("text", "json", "jsonl"), complete("pinreplay replay --format "));
        assertEquals(List.of("merge"), complete("pinreplay campaign me"));
        assertEquals(List.of(), complete("pinreplay replay --seed "), "a number: nothing to offer");
        Run fish = Run.of("", "completion", "fish");
        assertEquals(ExitCodes.USAGE, fish.code());
        assertTrue(fish.err().startsWith("pinreplay completion: expected bash or zsh, got 'fish'"), fish.err());
        assertTrue(Run.of("", "completion", "zsh").out().startsWith("#compdef pinreplay\n"));
    }

    @Test
    void comp_wordsAloneAreEnough() throws Exception {
        assertEquals(startingWith(Vocabulary.releases(), "6."),
                run("COMP_WORDS=(pinreplay replay --kernel 6.); COMP_CWORD=3; ", ""));
        assertEquals(List.of("race="), run("COMP_WORDS=(pinreplay replay --inject mmap-unlock:ra); COMP_CWORD=3; ",
                ""));
    }

    private static List<String> sorted(List<String> l) {
        return l.stream().sorted(java.util.Comparator.reverseOrder()).toList();
    }
}
