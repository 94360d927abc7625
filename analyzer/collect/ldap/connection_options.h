#pragma once
// How to reach and authenticate to a domain controller: what the command line gathered.
#include <string>

namespace relayaudit {

struct ConnectionOptions {
    std::string uri;              // ldaps://dc1.corp.example, ldap://127.0.0.1:389
    std::string globalCatalogUri; // optional --gc, for the other domains of the forest
    std::string bindIdentity;     // DN, user@realm or DOMAIN\user; empty with SASL or anonymous
    std::string password;         // already read by the caller (file, env or prompt)
    bool saslGssapi = false;
    bool startTls = false;
    std::string caFile;
    bool tlsInsecure = false;
    bool allowPlaintextBind = false;
    int timeoutSeconds = 30;
    int pageSize = 1000;
};

} // namespace relayaudit
