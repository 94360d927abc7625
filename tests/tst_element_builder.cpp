// appendElement (analyzer/collect/builder/element_builder.h): an element appended whole, through
// a prototype while SharedAttributeNames is active and attribute by attribute without it, is the
// same text as the one build::set() builds attribute by attribute, for every kind of value, for
// elements of several shapes, and for a list reused from element to element.
#include "builder/build_common.h"
#include "builder/element_builder.h"
#include "builder/shared_names.h"
#include "shared_names_document.h"
#include "xml_text.h"

#include <QtTest/QtTest>
#include <string>

using namespace relayaudit;
using testsupport::xmlTextOf;

namespace {

const char* const kUnsafe = "bad \x01 byte & <markup> \"quoted\"\r\n\ttab \xff";

// Three virtual servers of two shapes, each with a child element, through appendElement.
void buildWhole(pugi::xml_node parent) {
    build::AttributeList list;
    for (int i = 0; i < 3; ++i) {
        list.clear();
        list.set("dn", "CN=" + std::to_string(i) + ",CN=SMTP");
        list.set("name", kUnsafe);
        list.set("empty", "");
        list.setBool("anonymous", i % 2);
        list.setInteger("authFlags", -i * 1000000007LL);
        list.setNumber("addresses", 4294967296.0 + i);
        list.setNumber("fraction", 0.1 * i);
        if (i == 1)
            list.set("invalidAttributes", "msExchAuthenticationFlags");
        auto server = build::appendElement(parent, "virtualServer", list);
        list.clear();
        list.set("list", "grant");
        list.setInteger("prefix", 32 - i);
        build::appendElement(server, "address", list);
    }
}

// The same through build::set and build::setNumber.
void buildAttributeByAttribute(pugi::xml_node parent) {
    for (int i = 0; i < 3; ++i) {
        auto server = parent.append_child("virtualServer");
        build::set(server, "dn", "CN=" + std::to_string(i) + ",CN=SMTP");
        build::set(server, "name", kUnsafe);
        build::set(server, "empty", "");
        build::set(server, "anonymous", i % 2 ? "true" : "false");
        build::set(server, "authFlags", std::to_string(-i * 1000000007LL));
        build::setNumber(server, "addresses", 4294967296.0 + i);
        build::setNumber(server, "fraction", 0.1 * i);
        if (i == 1)
            build::set(server, "invalidAttributes", "msExchAuthenticationFlags");
        auto address = server.append_child("address");
        build::set(address, "list", "grant");
        build::set(address, "prefix", std::to_string(32 - i));
    }
}

} // namespace

class TestElementBuilder : public QObject {
    Q_OBJECT

private slots:
    void wholeElementsAreTheSameTextAsAttributeByAttribute() {
        pugi::xml_document expected;
        buildAttributeByAttribute(expected.append_child("snapshot"));

        pugi::xml_document withoutPrototypes; // no SharedAttributeNames: one by one
        buildWhole(withoutPrototypes.append_child("snapshot"));
        QCOMPARE(QString::fromStdString(xmlTextOf(withoutPrototypes.child("snapshot"))),
                 QString::fromStdString(xmlTextOf(expected.child("snapshot"))));

        // The prototypes go with the holder; the names stay valid.
        const auto withPrototypes = testsupport::buildWithSharedNames(buildWhole);
        // Two virtual server shapes (with and without invalidAttributes) and one address shape.
        QCOMPARE(withPrototypes.prototypes, std::ptrdiff_t(3));
        QCOMPARE(QString::fromStdString(withPrototypes.text),
                 QString::fromStdString(xmlTextOf(expected.child("snapshot"))));
        QVERIFY(withPrototypes.text.find("\\01") != std::string::npos); // made XML-safe
    }

    // Copies of one prototype share its names: the second element's "dn" is the first one's.
    void namesAreStoredOnce() {
        pugi::xml_document document;
        auto root = document.append_child("snapshot");
        SharedAttributeNames names(root.append_child("pending"));
        SharedAttributeNames::Scope scope(names);
        build::AttributeList list;
        list.set("relayForAuthPresent", "true");
        auto first = build::appendElement(root, "a", list);
        list.clear();
        list.set("relayForAuthPresent", "false");
        auto second = build::appendElement(root, "a", list);
        QVERIFY(first.first_attribute().name() == second.first_attribute().name());
        QVERIFY(first.name() == second.name());
        QCOMPARE(QString(first.first_attribute().value()), QString("true"));
        QCOMPARE(QString(second.first_attribute().value()), QString("false"));
    }
};

QTEST_APPLESS_MAIN(TestElementBuilder)
#include "tst_element_builder.moc"
