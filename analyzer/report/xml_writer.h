#pragma once
// A small streaming XML writer for the XML report: elements, attributes and text go straight to an
// OutputSink, escaped on the way, so the report is never held as a DOM or a second string.
// Directory text is attacker-controlled, so everything passes one escaper:
//  - markup characters become entities (& < > and, in attributes, ");
//  - CR is written as &#13; everywhere, and TAB/LF as &#9;/&#10; in attributes, so a parser's
//    end-of-line and attribute-value normalisation gives back the bytes that were written;
//  - bytes XML 1.0 cannot carry (other control characters, invalid UTF-8) are written as the text
//    \XX, as xmlSafeText does, so the values match the snapshot's and earlier reports'.
#include "output_sink.h"

#include <cstddef>
#include <string_view>
#include <vector>

namespace relayaudit {

// Escaped element content / double-quoted attribute value, appended to out.
void appendXmlText(OutputSink& out, std::string_view text);
void appendXmlAttribute(OutputSink& out, std::string_view text);

class XmlWriter {
public:
    explicit XmlWriter(OutputSink& out) : out_(out) {}

    void declaration(); // <?xml version="1.0" encoding="UTF-8"?>
    // Opens <name ...>; attributes may follow until the first child or text.
    void start(const char* name);
    // Opens <name ...> whose whole content stays on its line: children get no line breaks or
    // indentation (the report's findings, one per line, where indentation was 6% of the size).
    void startOneLine(const char* name);
    void attribute(const char* name, std::string_view value);
    void attribute(const char* name, std::size_t value);
    void text(std::string_view value);
    // Closes the innermost open element (<name/> when it got nothing).
    void end();
    // A writer for a part of a document rendered apart: it writes as if inside the element
    // `name` at depth 1 (indented so), which it never closes. Its text goes into the document's
    // writer through markup().
    void continueInside(const char* name);
    // Markup written by another writer (continueInside), appended as a child of the open element.
    void markup(std::string_view text);
    // <name>text</name>
    void textElement(const char* name, std::string_view value) {
        start(name);
        text(value);
        end();
    }

private:
    void closeStartTag();
    void open(const char* name, bool oneLine);

    struct Open {
        const char* name;
        bool hasChildren = false;
        bool oneLine = false; // this element or one it sits in was opened by startOneLine
    };
    OutputSink& out_;
    std::vector<Open> open_;
    bool startTagOpen_ = false;
};

} // namespace relayaudit
