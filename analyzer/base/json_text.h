#pragma once
// JSON string literals for directory text. The value is first made XML-safe (xmlSafeText: each
// byte of invalid UTF-8 and of a control character other than tab/LF/CR becomes the text \XX),
// so a JSON report carries exactly the strings of the XML report; then JSON's own escapes apply:
// quote, backslash and every remaining control character (\t, \n, \r), plus DEL, the C1 range
// and U+2028/U+2029 as \uXXXX so the text is also safe inside a JavaScript string.
#include <string>
#include <string_view>

namespace relayaudit {

// Appends "text" with the quotes.
void appendJsonString(std::string& out, std::string_view text);

} // namespace relayaudit
