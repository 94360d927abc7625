#include "smtp_reply.h"

#include <cctype>

namespace relayaudit::probe {

namespace {

bool hasCode(std::string_view line) {
    return line.size() >= 3 && std::isdigit(static_cast<unsigned char>(line[0])) &&
           std::isdigit(static_cast<unsigned char>(line[1])) &&
           std::isdigit(static_cast<unsigned char>(line[2])) && line[0] >= '2' && line[0] <= '5' &&
           (line.size() == 3 || line[3] == ' ' || line[3] == '-');
}

ReplyStatus statusOf(LineStatus status) {
    switch (status) {
    case LineStatus::Closed:
        return ReplyStatus::Closed;
    case LineStatus::Timeout:
        return ReplyStatus::Timeout;
    case LineStatus::TooLong:
        return ReplyStatus::TooLong;
    default:
        return ReplyStatus::Failed;
    }
}

} // namespace

std::string SmtpReply::text() const {
    std::string joined;
    for (const auto& line : lines) {
        if (!joined.empty())
            joined += " / ";
        joined += line.size() > 4 ? line.substr(4) : std::string();
    }
    return joined;
}

std::string SmtpReply::enhancedCode() const {
    if (lines.empty() || lines.front().size() < 9)
        return {};
    std::string_view rest = std::string_view(lines.front()).substr(4);
    // class "." subject "." detail (RFC 3463), class matching the reply code's first digit
    std::size_t end = rest.find(' ');
    std::string_view candidate = rest.substr(0, end);
    int dots = 0;
    for (char c : candidate) {
        if (c == '.')
            ++dots;
        else if (!std::isdigit(static_cast<unsigned char>(c)))
            return {};
    }
    if (dots != 2 || candidate.size() < 5 || candidate[0] != lines.front()[0])
        return {};
    return std::string(candidate);
}

SmtpReply readReply(SmtpTransport& transport) {
    SmtpReply reply;
    std::size_t bytes = 0;
    for (;;) {
        std::string line;
        auto status = transport.readLine(line);
        if (status != LineStatus::Line) {
            reply.status = statusOf(status);
            reply.code = 0;
            return reply;
        }
        bytes += line.size();
        reply.lines.push_back(std::move(line));
        const std::string& last = reply.lines.back();
        if (reply.lines.size() > kMaxReplyLines || bytes > kMaxReplyBytes) {
            reply.status = ReplyStatus::TooLong;
            return reply;
        }
        if (!hasCode(last) ||
            (reply.lines.size() > 1 && last.compare(0, 3, reply.lines.front(), 0, 3) != 0)) {
            reply.status = ReplyStatus::Malformed;
            return reply;
        }
        if (last.size() == 3 || last[3] == ' ') {
            reply.status = ReplyStatus::Complete;
            reply.code = std::stoi(last.substr(0, 3));
            return reply;
        }
    }
}

} // namespace relayaudit::probe
