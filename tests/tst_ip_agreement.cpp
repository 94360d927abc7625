// The hand-written address parser of receive-connector ranges (analyzer/decode/ip_range.cpp) must
// read a single address exactly as inet_pton does: accept what it accepts, refuse what it refuses,
// and land on the same address. Strings are generated (valid, mutated, random) from a fixed seed,
// over the characters of addresses only: '-', '/', '(' and '[' select the range forms, and a NUL
// would end inet_pton's C string early.
#include "ip_range.h"
#include "split_mix64.h"

#include <QtTest>
#include <arpa/inet.h>
#include <array>
#include <string>
#include <vector>

using namespace relayaudit;
using testsupport::SplitMix64;

namespace {

constexpr std::size_t kStringsPerKind = 20000;
constexpr std::string_view kAlphabet = "0123456789abcdefABCDEF:.gx ";

std::string ipv4Text(SplitMix64& random) {
    std::string text;
    for (int i = 0; i < 4; ++i) {
        if (i > 0)
            text += '.';
        // Small octets are frequent so that leading-zero and short forms are met often.
        text += std::to_string(random.below(4) == 0 ? random.below(10) : random.below(256));
    }
    return text;
}

std::string hexGroup(std::uint16_t value, SplitMix64& random) {
    static constexpr char kLower[] = "0123456789abcdef";
    static constexpr char kUpper[] = "0123456789ABCDEF";
    const char* digits = random.below(4) == 0 ? kUpper : kLower;
    std::string text;
    for (int shift = 12; shift >= 0; shift -= 4)
        text += digits[(value >> shift) & 0xF];
    // Drop some leading zeros (all but the last digit), keep them sometimes.
    if (random.below(3) != 0) {
        const auto nonZero = text.find_first_not_of('0');
        text.erase(0, nonZero == std::string::npos ? 3 : nonZero);
    }
    return text;
}

// An IPv6 address in one of its text forms: full, with "::" over a run of zero groups, and
// optionally the last 32 bits as a dotted quad.
std::string ipv6Text(SplitMix64& random) {
    std::array<std::uint16_t, 8> groups{};
    for (auto& group : groups)
        group = random.below(3) == 0 ? 0 : static_cast<std::uint16_t>(random.below(0x10000));
    const bool dottedTail = random.below(5) == 0;
    const std::size_t hexGroups = dottedTail ? 6 : 8;
    std::size_t gapStart = hexGroups, gapEnd = hexGroups;
    if (random.below(3) != 0) {
        gapStart = random.below(hexGroups + 1);
        gapEnd = gapStart + random.below(hexGroups - gapStart + 1);
        for (std::size_t g = gapStart; g < gapEnd; ++g)
            groups[g] = 0;
    }
    std::string text;
    for (std::size_t g = 0; g < hexGroups; ++g) {
        if (g >= gapStart && g < gapEnd) {
            if (g == gapStart)
                text += "::";
            continue;
        }
        if (!text.empty() && text.back() != ':')
            text += ':';
        text += hexGroup(groups[g], random);
    }
    if (dottedTail) {
        if (!text.empty() && text.back() != ':')
            text += ':';
        text += std::to_string(groups[6] >> 8) + "." + std::to_string(groups[6] & 0xFF) + "." +
                std::to_string(groups[7] >> 8) + "." + std::to_string(groups[7] & 0xFF);
    }
    return text;
}

char randomCharacter(SplitMix64& random) {
    return kAlphabet[random.below(kAlphabet.size())];
}

// One to three edits: delete, insert, replace, duplicate or swap a character, or cut the end.
std::string mutated(std::string text, SplitMix64& random) {
    const std::size_t edits = 1 + random.below(3);
    for (std::size_t e = 0; e < edits; ++e) {
        const std::size_t at = random.below(text.size() + 1);
        switch (random.below(6)) {
        case 0:
            if (at < text.size())
                text.erase(at, 1);
            break;
        case 1:
            text.insert(at, 1, randomCharacter(random));
            break;
        case 2:
            if (at < text.size())
                text[at] = randomCharacter(random);
            break;
        case 3:
            if (at < text.size())
                text.insert(at, 1, text[at]);
            break;
        case 4:
            if (at + 1 < text.size())
                std::swap(text[at], text[at + 1]);
            break;
        default:
            text.resize(at);
        }
    }
    return text;
}

std::string randomText(SplitMix64& random) {
    std::string text;
    const std::size_t length = random.below(42);
    for (std::size_t i = 0; i < length; ++i)
        text += random.below(2) == 0 ? randomCharacter(random) : ":.0123456789"[random.below(12)];
    return text;
}

std::vector<std::string> generatedStrings() {
    SplitMix64 random(0x1e5ca1ab1e);
    std::vector<std::string> strings;
    for (std::size_t i = 0; i < kStringsPerKind; ++i) {
        strings.push_back(ipv4Text(random));
        strings.push_back(ipv6Text(random));
        strings.push_back(mutated(ipv4Text(random), random));
        strings.push_back(mutated(ipv6Text(random), random));
        strings.push_back(randomText(random));
    }
    return strings;
}

// inet_pton's reading: the canonical text of the address, or empty when refused.
std::string canonicalByInetPton(const std::string& text) {
    unsigned char bytes[16];
    char canonical[INET6_ADDRSTRLEN] = {};
    for (int family : {AF_INET, AF_INET6})
        if (inet_pton(family, text.c_str(), bytes) == 1)
            return inet_ntop(family, bytes, canonical, sizeof canonical);
    return {};
}

} // namespace

class TestIpAgreement : public QObject {
    Q_OBJECT

private slots:
    void generatedAddressesAreAllValid() {
        SplitMix64 random(7);
        for (std::size_t i = 0; i < 1000; ++i) {
            const auto v4 = ipv4Text(random);
            const auto v6 = ipv6Text(random);
            QVERIFY2(!canonicalByInetPton(v4).empty(), v4.c_str());
            QVERIFY2(!canonicalByInetPton(v6).empty(), v6.c_str());
        }
    }
    void singleAddressesAreReadAsInetPtonReadsThem() {
        std::size_t accepted = 0, refused = 0, disagreements = 0;
        QStringList examples;
        for (const auto& text : generatedStrings()) {
            const auto expected = canonicalByInetPton(text);
            const auto parsed = parseRemoteIpRange(text);
            std::string ours;
            if (parsed.ok() && parsed.value().first == parsed.value().last &&
                parsed.value().addressCount == 1)
                ours = parsed.value().first;
            else if (parsed.ok())
                ours = "range " + parsed.value().first + "-" + parsed.value().last;
            (expected.empty() ? refused : accepted)++;
            if (ours != expected) {
                ++disagreements;
                if (examples.size() < 10)
                    examples << QString("'%1': inet_pton %2, parser %3")
                                    .arg(QString::fromStdString(text),
                                         expected.empty() ? "refuses"
                                                          : QString::fromStdString(expected),
                                         parsed.ok()
                                             ? QString::fromStdString(ours)
                                             : QString::fromStdString("refuses: " +
                                                                      parsed.error().describe()));
            }
        }
        qInfo("%zu strings: inet_pton accepts %zu, refuses %zu", accepted + refused, accepted,
              refused);
        QVERIFY2(disagreements == 0, qPrintable(QString::number(disagreements) +
                                                " disagreements, e.g.\n" + examples.join("\n")));
        // The set must exercise both sides, or agreement proves little.
        QVERIFY(accepted > 30000);
        QVERIFY(refused > 30000);
    }
};

QTEST_GUILESS_MAIN(TestIpAgreement)
#include "tst_ip_agreement.moc"
