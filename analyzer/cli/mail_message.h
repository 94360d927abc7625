#pragma once
// A MIME message for sendmail -t: headers that nothing from the directory can break, a text
// part, and attachments, every body part in base64.
#include <string>
#include <vector>

namespace relayaudit {

struct MailAttachment {
    std::string fileName;    // fixed by relayaudit, never from the directory
    std::string contentType; // e.g. "text/html; charset=utf-8"
    std::string content;
};

struct MailMessage {
    std::string from;            // empty: sendmail fills it in
    std::vector<std::string> to; // checked with checkMailAddress
    std::string subject;         // any text: control characters dropped, RFC 2047 encoded
    std::string date;            // RFC 5322 date-time
    std::string text;            // the summary (UTF-8)
    std::vector<MailAttachment> attachments;
};

// Throws RunFailure unless address is a bare addr-spec (local@domain, printable ASCII, no
// spaces, quotes, angle brackets, commas or line breaks), so it cannot add a header or a
// recipient. what names the option for the message ("--mail-to").
void checkMailAddress(const std::string& address, const char* what);

// "a@x, b@y" and repeated options, split at commas and trimmed.
std::vector<std::string> splitAddresses(const std::vector<std::string>& lists);

// The subject as RFC 2047 encoded words, folded: safe whatever the text holds.
std::string encodedHeaderText(const std::string& text);

// The whole message with CRLF-free LF line ends (sendmail's local submission convention).
std::string renderMailMessage(const MailMessage& message);

} // namespace relayaudit
