#pragma once
// Escaping for the HTML report. Every directory string can be written by whoever controls an AD
// object, so no text reaches the page except through these functions.
#include <string>
#include <string_view>

namespace relayaudit {

// For element content. Bytes that must be shown (controls, invalid UTF-8, bidi overrides) are
// written as \XX per byte inside <span class="ctl">, so they stand out from a DN's own escapes.
std::string htmlText(std::string_view text);

// For a double-quoted attribute value: the same escaping without the span.
std::string htmlAttribute(std::string_view text);

// The same, appended to out: no temporary string per value. Runs of ordinary bytes are copied
// whole; only markup characters and non-ASCII or control bytes are looked at one by one.
void appendHtmlText(std::string& out, std::string_view text);
void appendHtmlAttribute(std::string& out, std::string_view text);

// True only for a plain http(s) address that may become a link: javascript:, data:, file: and
// friends stay text, and so does anything with spaces or non-ASCII bytes that a mail filter
// might rewrite.
bool isSafeWebLink(std::string_view url);

} // namespace relayaudit
