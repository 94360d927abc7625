// SharedAttributeNames (analyzer/collect/builder/shared_names.h): with a Scope active, the
// builders' attributes share one copy of each name, and the document is the same text as one
// built without it, for literal names, names from buffers reused with other text, and names XML
// cannot parse.
#include "builder/build_common.h"
#include "builder/shared_names.h"
#include "shared_names_document.h"
#include "xml_text.h"

#include <QtTest/QtTest>
#include <iterator>
#include <string>
#include <vector>

using namespace relayaudit;
using testsupport::xmlTextOf;

namespace {

// The same attributes on `parent`, through build::set and build::setNumber.
void buildAttributes(pugi::xml_node parent) {
    std::string reused = "first";
    for (int i = 0; i < 3; ++i) {
        auto node = parent.append_child("virtualServer");
        build::set(node, "dn", "CN=" + std::to_string(i) + ",CN=SMTP");
        build::set(node, "anonymous", i % 2 ? "true" : "false");
        build::set(node, "name", "bad \x01 byte & <markup>");
        build::setNumber(node, "addresses", 4294967296.0 + i);
        // The same address with other text each time: the name must follow the text.
        reused.assign(i == 0 ? "first" : i == 1 ? "second" : "third");
        build::set(node, reused.c_str(), "value");
        build::set(node, "", "empty name");
    }
}

} // namespace

class TestSharedNames : public QObject {
    Q_OBJECT

private slots:
    void theDocumentIsTheSameWithSharedNames() {
        pugi::xml_document plain;
        buildAttributes(plain.append_child("snapshot"));

        // The prototypes go with the holder; the names stay valid.
        const auto shared = testsupport::buildWithSharedNames(buildAttributes);
        QCOMPARE(QString::fromStdString(shared.text),
                 QString::fromStdString(xmlTextOf(plain.child("snapshot"))));
        QVERIFY(shared.text.find("third=\"value\"") != std::string::npos);
    }

    // One copy of a name: the second virtual server's "dn" is the first one's, not a copy.
    void aNameIsStoredOnce() {
        pugi::xml_document document;
        auto root = document.append_child("snapshot");
        SharedAttributeNames names(root.append_child("pending"));
        SharedAttributeNames::Scope scope(names);
        auto first = root.append_child("a");
        auto second = root.append_child("a");
        build::set(first, "relayForAuthPresent", "true");
        build::set(second, "relayForAuthPresent", "false");
        // Pointers compared: QCOMPARE would compare the texts.
        QVERIFY(first.first_attribute().name() == second.first_attribute().name());
        QCOMPARE(QString(second.first_attribute().value()), QString("false"));
    }

    // A name XML cannot parse is appended as before, and parsed only once: the holder does not
    // grow with the attributes.
    void anUnparsableNameIsTriedOnce() {
        pugi::xml_document document;
        auto root = document.append_child("snapshot");
        auto holder = root.append_child("pending");
        SharedAttributeNames names(holder);
        SharedAttributeNames::Scope scope(names);
        auto node = root.append_child("a");
        static const char* const kBad = "not a name";
        build::set(node, kBad, "1");
        const auto buffersAfterOne = std::distance(holder.begin(), holder.end());
        for (int i = 0; i < 100; ++i)
            build::set(node, kBad, "1");
        QCOMPARE(std::distance(holder.begin(), holder.end()), buffersAfterOne);
        QCOMPARE(QString(node.first_attribute().name()), QString(kBad));
        QCOMPARE(std::distance(node.attributes_begin(), node.attributes_end()), 101L);
    }

    // Without a Scope (other documents, other threads) attributes are appended as before.
    void withoutAScopeNamesAreCopied() {
        pugi::xml_document document;
        auto root = document.append_child("snapshot");
        SharedAttributeNames names(root.append_child("pending"));
        {
            SharedAttributeNames::Scope scope(names);
            QVERIFY(SharedAttributeNames::active() == &names);
        }
        QVERIFY(SharedAttributeNames::active() == nullptr);
        auto first = root.append_child("a");
        auto second = root.append_child("a");
        build::set(first, "dn", "x");
        build::set(second, "dn", "y");
        QVERIFY(first.first_attribute().name() != second.first_attribute().name());
    }
};

QTEST_APPLESS_MAIN(TestSharedNames)
#include "tst_shared_names.moc"
