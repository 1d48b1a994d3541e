package pinreplay.format.synth;

import java.nio.charset.StandardCharsets;

import pinreplay.format.SymbolTable;

/**
 * A word, handle or task name the synthesizer writes. It is interned at its first use, not when
 * created, so symbol ids come out in the order the parser would assign them to the printed text.
 */
final class Word {
    final byte[] bytes;
    private int id;

    Word(String s) {
        this.bytes = s.getBytes(StandardCharsets.UTF_8);
    }

    int id(SymbolTable symbols) {
        if (id == 0) {
            id = symbols.intern(bytes, 0, bytes.length);
        }
        return id;
    }
}
