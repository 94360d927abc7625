#pragma once
// One connection to one server: transport (TCP, ldaps:// or StartTLS, certificate checks on by
// default), the bind (simple or Kerberos), and the per-operation time limit on every wait.
// Every failure throws CollectFailure with a message that says what to do.
#include "connection_options.h"
#include "ldap_handles.h"

#include <chrono>
#include <string>

namespace relayaudit::ldapcollect {

class Connection {
public:
    Connection(const ConnectionOptions& options, std::string uri);

    const std::string& uri() const { return uri_; }
    LDAP* handle() const { return ld_.get(); }
    std::string endpoint() const { return host_ + ":" + std::to_string(port_); }

    // Connects, secures and binds as the options say; refuses to send a password in clear.
    void open();

    // Waits for the next message of msgid, never longer than the timeout. Throws on timeout and
    // on a lost connection, naming the operation (what) so the user knows where it stopped.
    // receivedSoFar: entries of this search already in, for the message if the connection drops
    // (a number, not a text: this runs once per entry).
    Message next(int msgid, const std::string& what, std::size_t receivedSoFar);

    std::string timeoutMessage(const std::string& what) const;

    // After a Kerberos bind: what protects the connection ("... SASL layer of strength 256
    // (signed and encrypted)"), for the snapshot's notes; empty otherwise.
    const std::string& securityNote() const { return securityNote_; }

    // Fails the run for a connection lost (or never made) during what; soFar says how much had
    // arrived ("500 entries received so far").
    [[noreturn]] void failLost(int code, const std::string& what, const std::string& soFar) const;

private:
    enum class Stage { Connect, TlsConnect, StartTls, Kerberos };

    void parseUri();
    void setOption(int option, const void* value, const char* name);
    void setOptions();
    void readAhead();
    std::string connectAdvice(Stage stage) const;
    [[noreturn]] void failConnect(Stage stage, int code,
                                  std::chrono::steady_clock::duration took) const;
    bool handshakeWorksWithoutChecks() const;
    void establish();
    void handshake(Stage stage);
    void startTls();
    void bind();       // ldap_bind.cpp
    void bindGssapi(); // ldap_bind.cpp
    void describeSaslLayer();

    const ConnectionOptions& options_;
    std::string uri_;
    std::string scheme_;
    std::string host_;
    int port_ = LDAP_PORT;
    bool tlsFromStart_ = false;
    bool answered_ = false; // the server has answered something on this connection
    bool probing_ = false;  // a diagnosis copy (handshakeWorksWithoutChecks): checks off
    std::string firstUri_;
    int fd_ = -1; // owned by ld_ once handed over
    LdapHandle ld_;
    std::string securityNote_;
};

} // namespace relayaudit::ldapcollect
