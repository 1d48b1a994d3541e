package pinreplay.campaign.report;

import java.io.StringWriter;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/** A JDK StAX writer with two-space indentation, for byte-stable XML. */
final class Xml {
    private final StringWriter out = new StringWriter();
    private final XMLStreamWriter w;
    private int depth;
    private boolean hasChildren;

    Xml() {
        try {
            w = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            w.writeStartDocument("UTF-8", "1.0");
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    Xml start(String name, String... attributes) {
        try {
            w.writeCharacters("\n" + "  ".repeat(depth));
            w.writeStartElement(name);
            for (int i = 0; i < attributes.length; i += 2) {
                w.writeAttribute(attributes[i], attributes[i + 1]);
            }
            depth++;
            hasChildren = false;
            return this;
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Text content of the element just started (it then has no child elements). */
    Xml text(String s) {
        try {
            w.writeCharacters(s);
            return this;
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    Xml end() {
        try {
            depth--;
            if (hasChildren) {
                w.writeCharacters("\n" + "  ".repeat(depth));
            }
            w.writeEndElement();
            hasChildren = true;
            return this;
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An element with attributes and optional text, closed at once. */
    Xml leaf(String name, String text, String... attributes) {
        start(name, attributes);
        if (text != null) {
            text(text);
        }
        return end(); // just started, so no child: closed on the same line
    }

    String finish() {
        try {
            w.writeEndDocument();
            w.close();
            return out + "\n";
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }
}
