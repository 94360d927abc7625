// SimpleXPath, the rule tests' subset evaluated directly (analyzer/engine/simple_xpath.h), gives
// what pugixml gives: on the built-in packs' test shapes, on hand-picked edge cases, and on
// random expressions over random documents (duplicate attributes, processing instructions and
// comments named like elements, numbers with spaces, NaN), with and without the attributes kept
// per object.
#include "simple_xpath.h"
#include "xpath_compile.h"

#include <QtTest/QtTest>
#include <cmath>
#include <cstdlib>
#include <random>
#include <sstream>
#include <string>
#include <vector>

using namespace relayaudit;

namespace {

const std::vector<std::string> kElementNames = {"relayList", "address", "a", "b-c"};
const std::vector<std::string> kAttributeNames = {"status", "mode", "list", "hostBits", "x", "y.z"};
const std::vector<std::string> kValues = {"true", "false", "valid", "0",  "8",   "32",  " 12 ",
                                          "-3",   ".5",    "1e3",   "",   "abc", "8.0", "0.0.0.0",
                                          "NaN",  "-.5",   "\t7\n", "+1", "5.",  "00"};
const std::vector<std::string> kNumbers = {"0", "8", "32", "12", "0.5", ".5", "5.", "7", "3"};
const std::vector<std::string> kOperators = {"=", "!=", "<", "<=", ">", ">="};

class Random {
public:
    explicit Random(unsigned seed) : engine_(seed) {}
    std::size_t below(std::size_t n) {
        return std::uniform_int_distribution<std::size_t>(0, n - 1)(engine_);
    }
    bool chance(int percent) { return below(100) < std::size_t(percent); }
    template <typename T> const T& pick(const std::vector<T>& from) {
        return from[below(from.size())];
    }
    std::string space() {
        return chance(20) ? std::string(1 + below(2), chance(50) ? ' ' : '\n') : "";
    }

private:
    std::mt19937 engine_;
};

void fillElement(Random& random, pugi::xml_node node, int depth) {
    const std::size_t attributes = random.below(6);
    for (std::size_t i = 0; i < attributes; ++i) // the same name twice now and then
        node.append_attribute(random.pick(kAttributeNames).c_str())
            .set_value(random.pick(kValues).c_str());
    if (depth >= 3)
        return;
    const std::size_t children = random.below(5);
    for (std::size_t i = 0; i < children; ++i) {
        const std::size_t kind = random.below(10);
        if (kind == 0)
            node.append_child(pugi::node_pi).set_name(random.pick(kElementNames).c_str());
        else if (kind == 1)
            node.append_child(pugi::node_comment).set_value("relayList");
        else if (kind == 2)
            node.append_child(pugi::node_pcdata).set_value("text");
        else
            fillElement(random, node.append_child(random.pick(kElementNames).c_str()), depth + 1);
    }
}

std::string literalFor(Random& random) {
    if (random.chance(35))
        return random.pick(kNumbers);
    const std::string& value = random.pick(kValues);
    return random.chance(80) ? "'" + value + "'" : "\"" + value + "\"";
}

std::string expressionOf(Random& random, int depth);

std::string pathOf(Random& random, int depth, bool endInAttribute) {
    std::string path;
    const std::size_t steps = endInAttribute ? random.below(3) : 1 + random.below(2);
    for (std::size_t i = 0; i < steps; ++i) {
        if (!path.empty())
            path += random.space() + "/" + random.space();
        path += random.pick(kElementNames);
        while (depth < 3 && random.chance(25))
            path += random.space() + "[" + expressionOf(random, depth + 1) + "]";
    }
    if (endInAttribute) {
        if (!path.empty())
            path += "/";
        path += "@" + random.space() + random.pick(kAttributeNames);
    }
    return path;
}

std::string expressionOf(Random& random, int depth) {
    const std::size_t kind = depth >= 3 ? 3 + random.below(3) : random.below(6);
    switch (kind) {
    case 0:
        return expressionOf(random, depth + 1) + " and " + expressionOf(random, depth + 1);
    case 1:
        return expressionOf(random, depth + 1) + " or " + expressionOf(random, depth + 1);
    case 2:
        return random.chance(50) ? "not(" + random.space() + expressionOf(random, depth + 1) + ")"
                                 : "(" + expressionOf(random, depth + 1) + ")";
    case 3:
        return pathOf(random, depth, random.chance(50));
    default:
        return pathOf(random, depth, true) + random.space() + random.pick(kOperators) +
               random.space() + literalFor(random);
    }
}

bool pugixmlSays(const std::string& expression, const pugi::xml_node& context) {
    return pugi::xpath_query(expression.c_str()).evaluate_boolean(pugi::xpath_node(context));
}

} // namespace

class TestSimpleXPath : public QObject {
    Q_OBJECT

private slots:
    void theBuiltInTestShapesAreInTheSubset() {
        // The split tests of the virtual server rules (rules/exchange-2003.xml) and message ifs.
        for (const char* expression :
             {"@anonymous='true'",
              "relayList[@status='valid' and (@mode='all-except-list-below' or "
              "address[@list='grant' and @mask='0.0.0.0'])]",
              "relayList[@status='valid' and @mode='only-list-below' and address[@list='grant' "
              "and @hostBits > 8 and @hostBits < 32]] or (@anonymous!='true' and "
              "relayList[@status='valid' and @mode='only-list-below' and address[@list='grant' "
              "and @hostBits > 8]])",
              "relayList/@status='invalid'",
              "@relayForAuthPresent='true' and @relayForAuth='false'",
              "@relayForAuth='true' and (@basicAuth='true' or @integratedAuth='true')",
              "@basicAuth='true' and @requireTls='false'", "@authFlagsPresent='false'",
              "permissions/@reason", "remoteIpRange", "@otherFlagBits!='0'"})
            QVERIFY2(SimpleXPath::parse(expression), expression);
    }

    void expressionsOutsideTheSubsetAreLeftToPugixml() {
        for (const char* expression : {"",
                                       "$x",
                                       "$widest/@addresses >= 4294967296",
                                       "/snapshot",
                                       "a//b",
                                       "//a",
                                       "..",
                                       "a/..",
                                       ".",
                                       "count(a) > 1",
                                       "a[1]",
                                       "a[last()]",
                                       "@*",
                                       "*",
                                       "a | b",
                                       "@a = @b",
                                       "'x' = @a",
                                       "@a + 1 > 2",
                                       "@a = -1",
                                       "self::a",
                                       "child::a",
                                       "ns:a",
                                       "text()",
                                       "a = 'x'",
                                       "@xmlns",
                                       "@xmlns:p = 'x'",
                                       "(@a)/b",
                                       "(a)[1]",
                                       "not(@a) = 'x'",
                                       "@a = 'x",
                                       "@a = 'x' and",
                                       "and",
                                       "@and = 'x'",
                                       "not",
                                       "a[not]",
                                       "boolean(@a)",
                                       "true()",
                                       "@a = 1e3",
                                       "@a = 1.2.3",
                                       "@a == 'x'",
                                       "@a = 'x' @b",
                                       "a[@b]c"})
            QVERIFY2(!SimpleXPath::parse(expression), expression);
    }

    void numbersFollowXPath() {
        QCOMPARE(xpathNumber("12"), 12.0);
        QCOMPARE(xpathNumber(" \t12\n"), 12.0);
        QCOMPARE(xpathNumber("-3"), -3.0);
        QCOMPARE(xpathNumber(".5"), 0.5);
        QCOMPARE(xpathNumber("5."), 5.0);
        QCOMPARE(xpathNumber("1234567890123456789"), 1234567890123456789.0);
        // Long numbers are rounded once, as strtod does (digit by digit would round 18 times).
        // Compared exactly: QCOMPARE's comparison of doubles is fuzzy.
        QVERIFY(xpathNumber("8765130134078358579") == std::strtod("8765130134078358579", nullptr));
        QVERIFY(xpathNumber("51898640301996188") == std::strtod("51898640301996188", nullptr));
        QCOMPARE(xpathNumber("999999999999999"), 999999999999999.0);
        for (const char* notANumber : {"", " ", "-", ".", "+1", "1e3", "0x10", "1 2", "NaN", "--1"})
            QVERIFY2(std::isnan(xpathNumber(notANumber)), notANumber);
    }

    // Duplicate attributes (a snapshot read from a file may carry them): pugixml's attribute axis
    // stops at the first of a name, and so does SimpleXPath.
    void onlyTheFirstAttributeOfANameCounts() {
        pugi::xml_document document;
        auto node = document.append_child("a");
        node.append_attribute("x").set_value("1");
        node.append_attribute("x").set_value("2");
        for (const auto& [expression, holds] :
             std::vector<std::pair<const char*, bool>>{{"@x = '1'", true},
                                                       {"@x = '2'", false},
                                                       {"@x != '1'", false},
                                                       {"@x > 1", false},
                                                       {"@x < 2", true},
                                                       {"not(@x = '2')", true}}) {
            auto simple = SimpleXPath::parse(expression);
            QVERIFY(simple);
            QCOMPARE(pugixmlSays(expression, node), holds);
            QCOMPARE(simple->evaluate(node), holds);
            ObjectAttributes kept;
            QCOMPARE(simple->evaluate(node, &kept), holds);
        }
    }

    // The simple attribute paths of messages read the kept attributes while a Scope is active:
    // the same values as without (first attribute of a name, first child that has it).
    void attributePathsReadTheKeptAttributes() {
        pugi::xml_document document;
        QVERIFY(document.load_string("<v x='1' x='2'><c/><c y='a'/><c y='b'/><?c y='p'?></v>"));
        auto node = document.first_child();
        std::string problem;
        for (const char* expression : {"@x", "c/@y", "@z", "c/@z"}) {
            auto query = compileXPath(expression, nullptr, problem);
            QVERIFY(query);
            const auto plain = query->directString(pugi::xpath_node(node));
            ObjectAttributes kept;
            ObjectAttributes::Scope scope(kept);
            QVERIFY(ObjectAttributes::active() == &kept);
            const auto read = query->directString(pugi::xpath_node(node));
            QVERIFY(plain && read);
            QCOMPARE(QString::fromUtf8(read->data(), qsizetype(read->size())),
                     QString::fromUtf8(plain->data(), qsizetype(plain->size())));
            QCOMPARE(QString::fromUtf8(read->data(), qsizetype(read->size())),
                     QString::fromStdString(query->evaluate_string(pugi::xpath_node(node))));
        }
        QVERIFY(ObjectAttributes::active() == nullptr);
    }

    // An attribute as the context goes to pugixml (its node() would be the parent element).
    void anAttributeContextIsLeftToPugixml() {
        pugi::xml_document document;
        auto node = document.append_child("a");
        node.append_attribute("x").set_value("1");
        std::string problem;
        auto query = compileXPath("@x = '1'", nullptr, problem);
        QVERIFY(query && query->isSimple());
        QVERIFY(query->evaluateBoolean(pugi::xpath_node(node)));
        QVERIFY(!query->evaluateBoolean(pugi::xpath_node(node.first_attribute(), node)));
        QCOMPARE(query->evaluateBoolean(pugi::xpath_node(node.first_attribute(), node)),
                 query->evaluate_boolean(pugi::xpath_node(node.first_attribute(), node)));
    }

    void randomExpressionsAgreeWithPugixml() {
        Random random(20261202);
        int compared = 0, held = 0;
        for (int round = 0; round < 1500; ++round) {
            pugi::xml_document document;
            auto root = document.append_child("virtualServer");
            fillElement(random, root, 0);
            std::vector<pugi::xml_node> contexts = {root};
            for (auto node : root.children())
                if (node.type() == pugi::node_element)
                    contexts.push_back(node);
            for (const auto& context : contexts) {
                ObjectAttributes kept; // shared by the expressions on this context, as when early
                for (int i = 0; i < 12; ++i) {
                    const std::string expression = expressionOf(random, 0);
                    auto simple = SimpleXPath::parse(expression);
                    QVERIFY2(simple, expression.c_str());
                    const bool expected = pugixmlSays(expression, context);
                    const bool direct = simple->evaluate(context);
                    const bool withKept = simple->evaluate(context, &kept);
                    if (direct != expected || withKept != expected) {
                        std::ostringstream text;
                        document.save(text, "", pugi::format_raw);
                        QFAIL(qPrintable(QString::fromStdString(
                            expression + " on " + context.name() + " of " + text.str())));
                    }
                    ++compared;
                    held += expected;
                }
            }
        }
        // Both answers are common: the comparison is not of a constant.
        QVERIFY2(compared > 5000, qPrintable(QString::number(compared)));
        QVERIFY2(held > compared / 10 && held < compared * 9 / 10,
                 qPrintable(QString::number(held) + " of " + QString::number(compared)));
    }

    // Past the nodes it keeps, ObjectAttributes walks the node each time: a relay list of
    // thousands of addresses gives the same answers.
    void manyChildrenGiveTheSameAnswers() {
        pugi::xml_document document;
        auto list = document.append_child("virtualServer").append_child("relayList");
        for (int i = 0; i < 3000; ++i) {
            auto address = list.append_child("address");
            address.append_attribute("list").set_value(i % 2 ? "grant" : "deny");
            address.append_attribute("hostBits").set_value(std::to_string(i % 40).c_str());
        }
        auto server = document.first_child();
        for (const char* expression :
             {"relayList[address[@list='grant' and @hostBits > 38]]",
              "relayList[address[@list='deny' and @hostBits = 39]]",
              "relayList/address/@hostBits >= 39", "not(relayList/address[@list='other'])"}) {
            auto simple = SimpleXPath::parse(expression);
            QVERIFY(simple);
            ObjectAttributes kept;
            QCOMPARE(simple->evaluate(server, &kept), pugixmlSays(expression, server));
            QCOMPARE(simple->evaluate(server, &kept), pugixmlSays(expression, server));
        }
    }
};

QTEST_APPLESS_MAIN(TestSimpleXPath)
#include "tst_simple_xpath.moc"
