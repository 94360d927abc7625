#pragma once
// SMTP replies (RFC 5321 §4.2) read from an untrusted server with hard bounds: a line longer than
// kMaxLineLength, a reply of more than kMaxReplyLines lines or kMaxReplyBytes bytes ends the
// dialogue as out of protocol, so a hostile server cannot make the probe hold unbounded memory.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace relayaudit::probe {

inline constexpr std::size_t kMaxLineLength = 2048; // RFC 5321 allows 512; be lenient
inline constexpr std::size_t kMaxReplyLines = 128;
inline constexpr std::size_t kMaxReplyBytes = 32 * 1024;

enum class LineStatus { Line, Closed, Timeout, TooLong, Failed };

// One line-oriented connection to a server. Implementations enforce kMaxLineLength and the
// deadline of the whole dialogue.
class SmtpTransport {
public:
    virtual ~SmtpTransport() = default;
    // The next line without its CR LF.
    virtual LineStatus readLine(std::string& line) = 0;
    // Sends line + CR LF; false when the connection is gone or the deadline passed.
    virtual bool writeLine(std::string_view line) = 0;
    // After the server's 220 to STARTTLS: TLS handshake with certificate checks. false with a
    // reason in error when it failed (the connection is then unusable). Default: no TLS.
    virtual bool startTls(std::string& error) {
        error = "TLS is not available on this transport";
        return false;
    }
};

enum class ReplyStatus { Complete, Closed, Timeout, TooLong, Malformed, Failed };

struct SmtpReply {
    ReplyStatus status = ReplyStatus::Failed;
    int code = 0;                     // 0 unless Complete
    std::vector<std::string> lines;   // every line as received, code included
    std::string text() const;         // the lines after their codes, joined by " / "
    std::string enhancedCode() const; // "5.7.1" when the first line carries one, else ""
};

// Reads one (possibly multi-line) reply. rawLines receives every line read, also of a reply that
// turned out malformed, so the transcript shows what the server sent.
SmtpReply readReply(SmtpTransport& transport);

} // namespace relayaudit::probe
