#include "mail_message.h"

#include "base64.h"
#include "run_failure.h"

#include <string_view>

namespace relayaudit {

namespace {

// Never occurs in base64 text ("=" is only padding, at the end of a line), so no part can end
// the multipart early, whatever the report holds.
constexpr std::string_view kBoundary = "=_relayaudit_part_boundary";

// Printable ASCII of an addr-spec without the characters that structure headers.
bool allowedInAddress(char c) {
    if (c <= 0x20 || c >= 0x7f)
        return false;
    return std::string_view("\"(),:;<>[\\]").find(c) == std::string_view::npos;
}

// Drops C0/C1 controls and DEL (line breaks included); keeps the rest of the UTF-8 text.
std::string withoutControls(const std::string& text) {
    std::string clean;
    for (std::size_t i = 0; i < text.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c == 0x7f)
            continue;
        // U+0080..U+009F in UTF-8: C2 80..C2 9F.
        if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
            static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
            ++i;
            continue;
        }
        clean += static_cast<char>(c);
    }
    return clean;
}

// Base64 in lines of 76 characters (RFC 2045).
std::string base64Lines(std::string_view content) {
    std::string encoded = base64Encode(content), lines;
    for (std::size_t at = 0; at < encoded.size(); at += 76)
        lines += encoded.substr(at, 76) + "\n";
    return lines;
}

} // namespace

void checkMailAddress(const std::string& address, const char* what) {
    auto at = address.find('@');
    bool ok = !address.empty() && address.size() <= 254 && at != std::string::npos && at > 0 &&
              at + 1 < address.size() && address.find('@', at + 1) == std::string::npos;
    for (char c : address)
        ok = ok && allowedInAddress(c);
    if (!ok)
        throw RunFailure{std::string(what) + " '" + address +
                         "' is not a mail address (local@domain, no spaces, quotes, angle "
                         "brackets or line breaks)"};
}

std::vector<std::string> splitAddresses(const std::vector<std::string>& lists) {
    std::vector<std::string> addresses;
    for (const auto& list : lists) {
        std::size_t start = 0;
        while (start <= list.size()) {
            auto end = list.find(',', start);
            if (end == std::string::npos)
                end = list.size();
            std::string part = list.substr(start, end - start);
            auto first = part.find_first_not_of(" \t");
            auto last = part.find_last_not_of(" \t");
            if (first != std::string::npos)
                addresses.push_back(part.substr(first, last - first + 1));
            start = end + 1;
        }
    }
    return addresses;
}

std::string encodedHeaderText(const std::string& text) {
    std::string clean = withoutControls(text);
    if (clean.empty())
        return "relayaudit";
    // Encoded words of at most 39 bytes of text (52 of base64, 64 with the wrapping, so even the
    // first line with "Subject: " stays under 78 characters), cut only
    // between UTF-8 characters; continuation lines start with a space (folding).
    std::string header;
    std::size_t start = 0;
    while (start < clean.size()) {
        std::size_t end = std::min(clean.size(), start + 39);
        while (end < clean.size() && end > start + 1 &&
               (static_cast<unsigned char>(clean[end]) & 0xc0) == 0x80)
            --end;
        if (!header.empty())
            header += "\n ";
        header +=
            "=?utf-8?B?" + base64Encode(std::string_view(clean).substr(start, end - start)) + "?=";
        start = end;
    }
    return header;
}

std::string renderMailMessage(const MailMessage& message) {
    std::string mail;
    if (!message.from.empty())
        mail += "From: " + message.from + "\n";
    mail += "To: ";
    for (std::size_t i = 0; i < message.to.size(); ++i)
        mail += (i ? ",\n " : "") + message.to[i];
    mail += "\nSubject: " + encodedHeaderText(message.subject) + "\n";
    if (!message.date.empty())
        mail += "Date: " + message.date + "\n";
    mail += "MIME-Version: 1.0\n"
            "Auto-Submitted: auto-generated\n"
            "Content-Type: multipart/mixed; boundary=\"" +
            std::string(kBoundary) +
            "\"\n"
            "\n"
            "This is a MIME message: the summary, then the reports as attachments.\n";
    auto part = [&](const std::string& type, const std::string& disposition,
                    const std::string& content) {
        mail += "--" + std::string(kBoundary) + "\nContent-Type: " + type + "\n";
        if (!disposition.empty())
            mail += "Content-Disposition: " + disposition + "\n";
        mail += "Content-Transfer-Encoding: base64\n\n" + base64Lines(content);
    };
    part("text/plain; charset=utf-8", "inline", message.text);
    for (const auto& attachment : message.attachments)
        part(attachment.contentType + "; name=\"" + attachment.fileName + "\"",
             "attachment; filename=\"" + attachment.fileName + "\"", attachment.content);
    mail += "--" + std::string(kBoundary) + "--\n";
    return mail;
}

} // namespace relayaudit
