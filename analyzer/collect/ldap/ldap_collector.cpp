#include "ldap_collector.h"

#include "directory_facts.h"
#include "ldap_connection.h"
#include "ldap_diagnostics.h"
#include "ldap_domains.h"
#include "ldap_search.h"
#include "string_helpers.h"

#include <csignal>
#include <cstring>
#include <memory>
#include <utility>

// What to collect over LDAP, with OpenLDAP's libldap 2.5 (non-deprecated API only). The
// connection (ldap_connection.h), the searches (ldap_search.h) and the messages
// (ldap_diagnostics.h) live beside this file.
//
// Shape of a run: connect (TLS checks on by default), bind, read the rootDSE, then a fixed set of
// searches: the crossRefs, ONE paged search for every Exchange object, and per domain one base
// search of the domain head plus one search for the Guest by SID. The number of searches grows
// with the number of domains only, never with the number of Exchange servers.
//
// Failure policy: anything that would make the snapshot silently incomplete (timeout, dropped
// connection, size limit hit without paging, unreadable configuration NC) fails the whole run
// with one line that says what to do. A domain whose Guest cannot be read does not fail the run:
// it is recorded as an UnreadableDomain with the precise reason, so the report says "cannot
// judge" for it instead of passing it.

namespace relayaudit {
namespace {

using namespace ldapcollect;

// The process must not die of SIGPIPE when the server closes the socket under a pending write
// (slapd killed between two pages): libldap then reports LDAP_SERVER_DOWN, which we explain.
// Restored on exit so the caller's disposition is left as it was.
class IgnoreSigpipe {
public:
    IgnoreSigpipe() {
        struct sigaction ignore {};
        ignore.sa_handler = SIG_IGN;
        sigemptyset(&ignore.sa_mask);
        active_ = sigaction(SIGPIPE, &ignore, &saved_) == 0;
    }
    ~IgnoreSigpipe() {
        if (active_)
            sigaction(SIGPIPE, &saved_, nullptr);
    }
    IgnoreSigpipe(const IgnoreSigpipe&) = delete;
    IgnoreSigpipe& operator=(const IgnoreSigpipe&) = delete;

private:
    struct sigaction saved_ {};
    bool active_ = false;
};

// DNs from the rootDSE and from crossRef values come from the same server, but slapd lowercases
// attribute types ("dc=corp") while the rootDSE file says "DC=corp"; dnKey (ldap_domains.h)
// compares them the way the server writes them back.

// True when dn is base itself or lies below it.
bool dnIsUnder(std::string_view dn, std::string_view base) {
    std::string child = dnKey(dn);
    std::string parent = dnKey(base);
    if (parent.empty())
        return false;
    if (child == parent)
        return true;
    return child.size() > parent.size() + 1 && child.ends_with(parent) &&
           child[child.size() - parent.size() - 1] == ',';
}

class Collector {
public:
    Collector(const ConnectionOptions& options,
              const std::function<void(const std::string&)>& progress, const EntrySink& sink,
              const std::function<void()>& bound)
        : options_(options), progress_(progress), sink_(sink), bound_(bound),
          searcher_(options.pageSize, progress) {}

    CollectResult run() {
        result_.context.sourceKind = "ldap";
        result_.context.inputs.push_back(options_.uri);
        main_ = std::make_unique<Connection>(options_, options_.uri);
        main_->open();
        say("connected to " + main_->endpoint() + describeBind());
        if (!main_->securityNote().empty())
            result_.context.notes.push_back(main_->securityNote());
        if (bound_)
            bound_();
        readRootDse();
        auto domains = readCrossRefs();
        readExchangeObjects();
        readDomains(domains);
        if (!options_.globalCatalogUri.empty() && gc_)
            result_.context.inputs.push_back(options_.globalCatalogUri);
        result_.searchOperations = searcher_.operations();
        say("collection done: " + std::to_string(result_.searchOperations) +
            " LDAP search operations");
        return std::move(result_);
    }

private:
    void deliver(DirectoryEntry&& entry) {
        if (sink_)
            sink_(std::move(entry));
        else
            result_.entries.push_back(std::move(entry));
    }

    void say(const std::string& line) const {
        if (progress_)
            progress_(line);
    }

    std::string describeBind() const {
        if (options_.saslGssapi)
            return ", bound with Kerberos (GSSAPI)";
        if (options_.bindIdentity.empty())
            return ", anonymous";
        return ", bound as " + options_.bindIdentity;
    }

    void readRootDse() {
        SearchRequest request;
        request.label = "the read of the rootDSE";
        request.base = "";
        request.scope = LDAP_SCOPE_BASE;
        request.attributes = {"defaultNamingContext", "configurationNamingContext",
                              "rootDomainNamingContext", "supportedControl", "dnsHostName"};
        auto outcome = searcher_.run(*main_, request);
        if (!outcome.ok() || outcome.entries.empty())
            fail("cannot read the rootDSE of " + main_->endpoint() + ": " +
                 (outcome.ok() ? std::string("no entry returned") : outcome.describe()) +
                 ": is this a domain controller? Check --uri and the bind account");
        const auto& root = outcome.entries.front();
        auto value = [&](const char* name) {
            const auto* v = root.first(name);
            return v ? *v : std::string();
        };
        defaultNC_ = value("defaultNamingContext");
        configurationNC_ = value("configurationNamingContext");
        std::string rootDomain = value("rootDomainNamingContext");
        if (configurationNC_.empty())
            fail("the rootDSE of " + main_->endpoint() +
                 " has no configurationNamingContext: the server is not an Active Directory "
                 "domain controller (or hides its rootDSE); point --uri at a domain controller");
        bool paging = false;
        bool sdFlags = false;
        if (const auto* controls = root.find("supportedControl")) {
            for (const auto& oid : controls->values) {
                if (oid == kPagedResultsOid)
                    paging = true;
                if (oid == kSdFlagsOid)
                    sdFlags = true;
            }
        }
        searcher_.useServerControls(paging, sdFlags);
        if (rootDomain.empty()) {
            // Not every server publishes it (slapd test servers): the forest root is the parent
            // of CN=Configuration.
            if (startsWithIgnoreCase(configurationNC_, "CN=Configuration,"))
                rootDomain = configurationNC_.substr(std::strlen("CN=Configuration,"));
        }
        result_.context.configurationNC = configurationNC_;
        result_.context.rootDomainNC = rootDomain;
        if (!paging)
            result_.context.notes.push_back(
                "the server does not offer the paged-results control; searches were not paged");
        say("rootDSE: configuration " + printable(configurationNC_) + ", default " +
            (defaultNC_.empty() ? std::string("(none)") : printable(defaultNC_)) +
            (paging ? ", paged results" : ", no paged results") + (sdFlags ? ", SD flags" : ""));
    }

    // Fails the run for result codes that make a configuration search unusable; explains the
    // common ones.
    [[noreturn]] void failConfigurationSearch(const SearchRequest& request,
                                              const SearchOutcome& outcome) {
        std::string message =
            "cannot complete " + request.label + " under " + printable(request.base) + " (" +
            std::to_string(outcome.entries.size()) + " entries received): " + outcome.describe();
        if (!options_.saslGssapi && options_.bindIdentity.empty())
            fail(message + ": anonymous clients may not read the configuration; bind with --user "
                           "or --bind-dn and --password-file, or --sasl gssapi");
        switch (outcome.resultCode) {
        case LDAP_SIZELIMIT_EXCEEDED:
            message += searcher_.pagingSupported()
                           ? ": the server capped the results; lower --page-size (AD allows 1000)"
                           : ": the server does not offer paged results, so the collection would "
                             "be incomplete; raise the server's size limit for this account";
            break;
        case LDAP_ADMINLIMIT_EXCEEDED:
            message += ": the server refused the page size " + std::to_string(options_.pageSize) +
                       "; use --page-size 1000 or less";
            break;
        case LDAP_TIMELIMIT_EXCEEDED:
            message += ": the server's time limit for one query was reached (AD: MaxQueryDuration "
                       "120 s); try a smaller --page-size, or run it when the DC is less busy";
            break;
        case LDAP_INSUFFICIENT_ACCESS:
        case LDAP_NO_SUCH_OBJECT:
            message += ": the bind account cannot read the configuration naming context; use an "
                       "account of the forest (any domain user can read it in AD)";
            break;
        default:
            message += "; the collection is incomplete; nothing was written";
        }
        fail(message);
    }

    std::vector<std::string> readCrossRefs() {
        SearchRequest request;
        request.label = "the paged search of crossRef objects";
        request.name = "crossRef objects";
        request.base = "CN=Partitions," + configurationNC_;
        request.filter = "(objectClass=crossRef)";
        request.attributes = {"nCName", "dnsRoot", "nETBIOSName", "systemFlags", "objectClass"};
        request.paged = true;
        auto outcome = searcher_.run(*main_, request);
        std::vector<std::string> domains;
        std::string fallbackReason;
        if (!outcome.ok()) {
            if (outcome.resultCode == LDAP_SIZELIMIT_EXCEEDED ||
                outcome.resultCode == LDAP_ADMINLIMIT_EXCEEDED)
                failConfigurationSearch(request, outcome);
            fallbackReason = "the crossRefs under " + printable(request.base) +
                             " could not be read (" + outcome.describe() + ")";
        } else {
            for (auto& entry : outcome.entries) {
                const auto* flags = entry.first("systemFlags");
                const auto* nc = entry.first("nCName");
                long long value = 0;
                try {
                    value = flags ? std::stoll(*flags) : 0;
                } catch (const std::exception&) {
                    value = 0;
                }
                if (nc && (value & kCrossRefDomainPartition))
                    domains.push_back(*nc);
                deliver(std::move(entry));
            }
            if (domains.empty())
                fallbackReason = "no domain crossRef (systemFlags 0x2) was readable under " +
                                 printable(request.base);
        }
        say("crossRefs: " + std::to_string(outcome.entries.size()) + " read, " +
            std::to_string(domains.size()) + " domain(s)");
        if (domains.empty()) {
            if (defaultNC_.empty()) {
                result_.context.notes.push_back(
                    fallbackReason + ", and the rootDSE names no defaultNamingContext: no domain's "
                                     "Guest account was read");
                if (!result_.context.rootDomainNC.empty())
                    result_.context.unreadableDomains.push_back(
                        {result_.context.rootDomainNC,
                         fallbackReason + " and the server names no default naming context"});
            } else {
                result_.context.notes.push_back(fallbackReason +
                                                "; only the domain of this domain controller (" +
                                                printable(defaultNC_) + ") was read");
                domains.push_back(defaultNC_);
            }
        }
        return domains;
    }

    void readExchangeObjects() {
        SearchRequest request;
        request.label = "the paged search of Exchange objects";
        request.name = "Exchange objects";
        request.base = configurationNC_;
        // One search for every Exchange object the rules need: the number of search operations
        // stays the same whatever the number of servers. Only attributes a builder, decoder,
        // rule or the probe reads (docs/design.md, "Collector speed"): msExchSecureBindings,
        // msExchSmtpFullyQualifiedDomainName and msExchSmtpMaxMessageSize are read by none.
        request.filter = "(|(objectClass=msExchOrganizationContainer)"
                         "(objectClass=msExchExchangeServer)"
                         "(objectClass=protocolCfgSMTPServer)"
                         "(objectClass=msExchSmtpReceiveConnector)"
                         "(objectClass=msExchRoutingSMTPConnector))";
        request.attributes = {"objectClass",
                              "cn",
                              "name",
                              "adminDisplayName",
                              "msExchSmtpRelayIpList",
                              "msExchSmtpRelayForAuth",
                              "msExchAuthenticationFlags",
                              "msExchAccessSSLFlags",
                              "msExchIPSecurity",
                              "msExchServerBindings",
                              "msExchSmtpSmartHost",
                              "msExchSmtpReceiveBindings",
                              "msExchSmtpReceiveRemoteIPRanges",
                              "msExchSMTPReceiveInboundSecurityFlag",
                              "msExchSmtpReceiveEnabled",
                              "nTSecurityDescriptor",
                              "routingList",
                              "serialNumber",
                              "msExchCurrentServerRoles",
                              "networkAddress",
                              "dNSHostName"};
        request.paged = true;
        request.sdFlags = true;
        // Thousands of entries: each goes on as soon as it is complete, not after the last page.
        std::size_t streamed = 0;
        request.stream = [this, &streamed](DirectoryEntry&& entry) {
            ++streamed;
            deliver(std::move(entry));
        };
        auto outcome = searcher_.run(*main_, request);
        if (!outcome.ok() && refusedForThisAccount(outcome)) {
            // The naming context exists (the rootDSE names it): a refusal is something this
            // account may not see, reported as "could not judge", not a failed run.
            cannotSee(configurationNC_, "the Exchange objects of the configuration naming context",
                      outcome);
        } else if (!outcome.ok()) {
            failConfigurationSearch(request, outcome);
        }
        // Streamed entries are gone from outcome.entries by now: count them as they went.
        say("Exchange objects: " + std::to_string(streamed + outcome.entries.size()) + " in " +
            std::to_string(outcome.pages) + (outcome.pages == 1 ? " page" : " pages"));
        for (auto& entry : outcome.entries)
            deliver(std::move(entry));
        readExchangeContainer();
    }

    // Insufficient access, or no such object where the parent is known to exist: what the
    // account was not allowed to see. Anonymous clients keep the run-failing message, which
    // tells them to bind.
    bool refusedForThisAccount(const SearchOutcome& outcome) const {
        bool anonymous = !options_.saslGssapi && options_.bindIdentity.empty();
        return !anonymous && (outcome.resultCode == LDAP_INSUFFICIENT_ACCESS ||
                              outcome.resultCode == LDAP_NO_SUCH_OBJECT);
    }

    void cannotSee(const std::string& dn, const std::string& what, const SearchOutcome& outcome) {
        say("cannot see " + what + ": " + outcome.describe());
        result_.context.unreadableObjects.push_back({dn, what, outcome.describe()});
    }

    // One base read, whatever the number of servers: CN=Microsoft Exchange is where every
    // organisation lives. Visible without an organisation under it means the organisation is
    // hidden from this account (the snapshot builder reports that); refused means the
    // container itself is. Absent (no such object) is indistinguishable from hidden in AD, and
    // is left to ORG-NO-EXCHANGE, which says "nothing could be judged" either way.
    void readExchangeContainer() {
        SearchRequest request;
        request.label = "the read of the Exchange configuration container";
        request.base = "CN=Microsoft Exchange,CN=Services," + configurationNC_;
        request.scope = LDAP_SCOPE_BASE;
        request.attributes = {"objectClass", "cn", "name"};
        auto outcome = searcher_.run(*main_, request);
        if (outcome.ok()) {
            for (auto& entry : outcome.entries)
                deliver(std::move(entry));
        } else if (outcome.resultCode != LDAP_NO_SUCH_OBJECT &&
                   outcome.resultCode != LDAP_REFERRAL) {
            cannotSee(request.base, "the Exchange configuration container", outcome);
        }
    }

    Connection* globalCatalog() {
        if (options_.globalCatalogUri.empty())
            return nullptr;
        if (!gc_) {
            gc_ = std::make_unique<Connection>(options_, options_.globalCatalogUri);
            try {
                gc_->open();
            } catch (const CollectFailure& failure) {
                fail("global catalog " + options_.globalCatalogUri + ": " + failure.message);
            }
            say("connected to the global catalog " + gc_->endpoint());
        }
        return gc_.get();
    }

    // The head (for the SID) and the Guest (RID 501) of every domain, with searches that do not
    // grow with the number of domains (ldap_domains.h). Every way this can go wrong becomes an
    // UnreadableDomain with the reason, never a silent pass.
    void readDomains(const std::vector<std::string>& dns) {
        std::vector<std::string> onMain, onGlobalCatalog;
        for (const auto& dn : dns) {
            if (!defaultNC_.empty() && dnIsUnder(dn, defaultNC_))
                onMain.push_back(dn);
            else if (globalCatalog())
                onGlobalCatalog.push_back(dn);
            else
                unreadable(dn, "this domain controller serves " +
                                   (defaultNC_.empty() ? std::string("no domain")
                                                       : printable(defaultNC_)) +
                                   ", not this domain; give --gc with a global catalog URI (e.g. "
                                   "ldaps://gc.corp.example:3269) to read its Guest account");
        }
        for (auto& domain : ldapcollect::readDomains(searcher_, *main_, onMain, defaultNC_)) {
            // A domain the DC does not hold answers with a referral: the GC may have it.
            if (domain.problem && domain.referred && globalCatalog()) {
                onGlobalCatalog.push_back(domain.dn);
                continue; // no copy of what the DC said about it
            }
            keep(domain, "");
        }
        if (onGlobalCatalog.empty())
            return;
        for (auto& domain :
             ldapcollect::readDomains(searcher_, *globalCatalog(), onGlobalCatalog, std::string()))
            keep(domain, " (via the global catalog)");
    }

    void keep(DomainOutcome& domain, const std::string& via) {
        bool guest = domain.entries.size() > 1;
        for (auto& entry : domain.entries)
            deliver(std::move(entry));
        if (domain.problem)
            unreadable(domain.dn, *domain.problem + via);
        else
            say("domain " + printable(domain.dn) + ": Guest account " +
                (guest ? std::string("read") : std::string("not found")));
    }

    void unreadable(const std::string& dn, const std::string& reason) {
        say("domain " + printable(dn) + ": unreadable: " + reason);
        result_.context.unreadableDomains.push_back({dn, reason});
    }

    const ConnectionOptions& options_;
    const std::function<void(const std::string&)>& progress_;
    const EntrySink& sink_;
    const std::function<void()>& bound_;
    CollectResult result_;
    Searcher searcher_;
    std::unique_ptr<Connection> main_;
    std::unique_ptr<Connection> gc_;
    std::string defaultNC_;
    std::string configurationNC_;
};

} // namespace

CollectResult collectFromLdap(const ConnectionOptions& options,
                              const std::function<void(const std::string&)>& progress,
                              const EntrySink& sink, const std::function<void()>& bound) {
    IgnoreSigpipe noSigpipe;
    try {
        Collector collector(options, progress, sink, bound);
        return collector.run();
    } catch (const CollectFailure& failure) {
        CollectResult result;
        result.context.sourceKind = "ldap";
        result.context.inputs.push_back(options.uri);
        result.error = failure.message;
        return result;
    }
}

} // namespace relayaudit
