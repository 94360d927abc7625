#include "probe_runner.h"

#include "socket_transport.h"
#include "string_helpers.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <set>
#include <thread>

namespace relayaudit::probe {

namespace {

std::optional<std::uint16_t> portOf(std::string_view text) {
    unsigned value = 0;
    auto parsed = std::from_chars(text.data(), text.data() + text.size(), value);
    if (parsed.ec != std::errc() || parsed.ptr != text.data() + text.size() || value == 0 ||
        value > 65535)
        return std::nullopt;
    return static_cast<std::uint16_t>(value);
}

std::string mappedHost(const std::string& host, const ProbeSettings& settings) {
    for (const auto& [name, address] : settings.addressMap)
        if (equalsIgnoreCase(name, host))
            return address;
    return host;
}

// The endpoint as the domain part of a bypass form: a DNS name as is, an address as a literal;
// anything else (the host comes from the directory) is not put into a command at all.
std::string formDomain(const std::string& host) {
    bool name = !host.empty() && host.size() < 254, digitsAndDots = true, colon = false;
    for (char c : host) {
        bool alnum = std::isalnum(static_cast<unsigned char>(c)) != 0;
        name = name && (alnum || c == '.' || c == '-' || c == ':');
        digitsAndDots = digitsAndDots && (std::isdigit(static_cast<unsigned char>(c)) || c == '.');
        colon = colon || c == ':';
    }
    if (!name)
        return {};
    if (colon)
        return "[IPv6:" + host + "]";
    return digitsAndDots ? "[" + host + "]" : host;
}

} // namespace

std::string ProbeEndpoint::key() const {
    bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::optional<ProbeEndpoint> parseEndpoint(std::string_view text, std::uint16_t defaultPort) {
    ProbeEndpoint endpoint;
    endpoint.port = defaultPort;
    if (text.empty())
        return std::nullopt;
    if (text.front() == '[') {
        auto close = text.find(']');
        if (close == std::string_view::npos || close == 1)
            return std::nullopt;
        endpoint.host = std::string(text.substr(1, close - 1));
        auto rest = text.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':')
                return std::nullopt;
            auto port = portOf(rest.substr(1));
            if (!port)
                return std::nullopt;
            endpoint.port = *port;
        }
        return endpoint;
    }
    auto colon = text.rfind(':');
    if (colon != std::string_view::npos && text.find(':') == colon) {
        auto port = portOf(text.substr(colon + 1));
        if (!port || colon == 0)
            return std::nullopt;
        endpoint.port = *port;
        text = text.substr(0, colon);
    }
    for (char c : text)
        if (static_cast<unsigned char>(c) <= ' ' || c == '/' || c == '@')
            return std::nullopt;
    endpoint.host = std::string(text);
    return endpoint;
}

bool addAddressMapping(std::string_view text, ProbeSettings& settings) {
    auto equals = text.find('=');
    if (equals == std::string_view::npos || equals == 0 || equals + 1 == text.size())
        return false;
    settings.addressMap[std::string(text.substr(0, equals))] = std::string(text.substr(equals + 1));
    return true;
}

ProbeResult probeEndpoint(const ProbeEndpoint& endpoint, const ProbeSettings& settings) {
    ProbeResult result;
    result.endpoint = endpoint;
    auto start = Clock::now();
    // The certificate must carry the configured name, also when --probe-map redirects it.
    SocketTransport transport(start + settings.timeout, endpoint.host, settings.caFile);
    std::string host = mappedHost(endpoint.host, settings);
    std::string detail;
    if (host != endpoint.host)
        result.transcript.push_back(
            {TranscriptLine::Direction::Note, "(" + endpoint.host + " mapped to " + host + ")"});
    auto status = transport.connect(host, endpoint.port, detail);
    if (status == ConnectStatus::Connected) {
        result.reached = true;
        result.address = detail;
        result.transcript.push_back(
            {TranscriptLine::Direction::Note,
             "(connected to " + ProbeEndpoint{detail, endpoint.port}.key() + ")"});
        auto dialogue = settings.dialogue;
        dialogue.targetDomain = formDomain(endpoint.host);
        runDialogue(transport, dialogue, result);
    } else {
        result.phase = ProbePhase::Connect;
        result.probeClass = status == ConnectStatus::Refused   ? ProbeClass::ConnectionRefused
                            : status == ConnectStatus::Timeout ? ProbeClass::Timeout
                                                               : ProbeClass::Inconclusive;
        result.reason = "could not connect: " + detail;
        result.transcript.push_back({TranscriptLine::Direction::Note, "(" + result.reason + ")"});
    }
    result.elapsedMilliseconds =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
    return result;
}

std::vector<ProbeResult> probeEndpoints(const std::vector<ProbeEndpoint>& endpoints,
                                        const ProbeSettings& settings) {
    std::vector<ProbeEndpoint> distinct;
    std::set<std::string> seen;
    for (const auto& endpoint : endpoints)
        if (seen.insert(toLowerAscii(endpoint.key())).second)
            distinct.push_back(endpoint);
    std::vector<ProbeResult> results(distinct.size());
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        for (std::size_t i = next++; i < distinct.size(); i = next++)
            results[i] = probeEndpoint(distinct[i], settings);
    };
    unsigned count =
        std::max(1u, std::min<unsigned>(settings.parallel, static_cast<unsigned>(distinct.size())));
    std::vector<std::thread> workers;
    for (unsigned i = 0; i < count; ++i)
        workers.emplace_back(worker);
    for (auto& thread : workers)
        thread.join();
    return results;
}

} // namespace relayaudit::probe
