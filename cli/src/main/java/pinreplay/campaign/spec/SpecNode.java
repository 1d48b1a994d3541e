package pinreplay.campaign.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A node of the composed YAML tree with its key path ({@code traces[2].synth.params}). Scalars are
 * read as the text the user wrote, never through YAML 1.1's implicit types, so {@code 6.10} stays a
 * kernel name instead of the float 6.1 and {@code off} stays a word instead of false.
 */
final class SpecNode {
    private final String file;
    private final String path;
    private final Node node;

    SpecNode(String file, String path, Node node) {
        this.file = file;
        this.path = path;
        this.node = node;
    }

    String path() {
        return path;
    }

    boolean isNull() {
        return node instanceof ScalarNode && node.getTag().equals(Tag.NULL);
    }

    boolean isMap() {
        return node instanceof MappingNode;
    }

    boolean isList() {
        return node instanceof SequenceNode;
    }

    boolean isScalar() {
        return node instanceof ScalarNode && !isNull();
    }

    /** The entries of a mapping in document order; rejects keys outside {@code allowed} (null: any), naming them in their order. */
    Map<String, SpecNode> map(String expected, List<String> allowed) {
        if (!isMap()) {
            throw fail(expected);
        }
        Map<String, SpecNode> out = new LinkedHashMap<>();
        for (NodeTuple t : ((MappingNode) node).getValue()) {
            SpecNode key = new SpecNode(file, path, t.getKeyNode());
            String k = key.string("a key");
            String childPath = path.isEmpty() ? k : path + "." + k;
            if (allowed != null && !allowed.contains(k)) {
                throw new SpecNode(file, childPath, t.getKeyNode()).fail("one of the keys " + String.join(", ", allowed)
                        + (path.isEmpty() ? "" : " under " + path), "'" + k + "'");
            }
            if (out.containsKey(k)) {
                throw new SpecNode(file, childPath, t.getKeyNode()).fail("each key once", "a second '" + k + "'");
            }
            out.put(k, new SpecNode(file, childPath, t.getValueNode()));
        }
        return out;
    }

    List<SpecNode> list(String expected) {
        if (!isList()) {
            throw fail(expected);
        }
        List<SpecNode> out = new ArrayList<>();
        List<Node> items = ((SequenceNode) node).getValue();
        for (int i = 0; i < items.size(); i++) {
            out.add(new SpecNode(file, path + "[" + i + "]", items.get(i)));
        }
        return out;
    }

    /** A scalar, or a list of scalars: {@code kernel: "6.1"} and {@code kernel: ["6.1", "6.5"]}. */
    List<String> strings(String expected) {
        List<String> out = new ArrayList<>();
        if (isList()) {
            for (SpecNode n : list(expected)) {
                out.add(n.string(expected));
            }
        } else {
            out.add(string(expected));
        }
        return out;
    }

    String string(String expected) {
        if (!isScalar()) {
            throw fail(expected);
        }
        return ((ScalarNode) node).getValue();
    }

    long integer(String expected) {
        String s = string(expected);
        try {
            return s.startsWith("0x") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw fail(expected);
        }
    }

    double number(String expected) {
        String s = string(expected);
        try {
            double d = Double.parseDouble(s);
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below with the path
        }
        throw fail(expected);
    }

    boolean bool(String expected) {
        String s = string(expected);
        if (s.equals("true") || s.equals("false")) {
            return s.equals("true");
        }
        throw fail(expected);
    }

    SpecException fail(String expected) {
        return fail(expected, found());
    }

    SpecException fail(String expected, String found) {
        return new SpecException(file + ":" + (node.getStartMark().getLine() + 1) + ": "
                + (path.isEmpty() ? "" : path + ": ") + "expected " + expected + ", got " + found);
    }

    private String found() {
        if (isNull()) {
            return "nothing";
        }
        if (isMap()) {
            return "a mapping";
        }
        if (isList()) {
            return "a list";
        }
        return "'" + ((ScalarNode) node).getValue() + "'";
    }
}
