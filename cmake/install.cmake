# What `cmake --install` puts where, and the Debian package `cpack -G DEB` makes of it
# (docs/design.md, "Installation and mail"). Paths under the prefix follow GNUInstallDirs;
# the configuration lives in /etc whatever the prefix, because the program reads
# /etc/relayaudit/relayaudit.conf by default.
include(GNUInstallDirs)

set(RELAYAUDIT_SYSCONF_DIR "/etc/relayaudit" CACHE PATH "where the sample configuration goes")
# Relative to the prefix: /usr/lib/systemd/system in the package, /usr/local/lib/... (which
# systemd also searches) for a plain `cmake --install`.
set(RELAYAUDIT_UNIT_DIR "lib/systemd/system")
set(RELAYAUDIT_SYSUSERS_DIR "lib/sysusers.d")

install(TARGETS relayaudit RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES docs/relayaudit.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(DIRECTORY schemas/ DESTINATION ${CMAKE_INSTALL_DATADIR}/relayaudit/schemas
        FILES_MATCHING PATTERN "*.xsd")

# A sample, never the live file: an install must not replace an administrator's settings.
install(FILES samples/relayaudit.conf DESTINATION ${RELAYAUDIT_SYSCONF_DIR}
        RENAME relayaudit.conf.sample)

# The units name the binary by its installed path, known only at install time: cpack installs
# with its own prefix (/usr), `cmake --install --prefix` with another.
set(RELAYAUDIT_UNITS relayaudit.service relayaudit-kerberos.service relayaudit-mail.service
                     relayaudit.timer)
list(TRANSFORM RELAYAUDIT_UNITS PREPEND "${CMAKE_BINARY_DIR}/units/" OUTPUT_VARIABLE
     RELAYAUDIT_UNITS_LIST)
install(CODE "
  foreach(unit ${RELAYAUDIT_UNITS})
    file(READ \"${PROJECT_SOURCE_DIR}/samples/\${unit}\" text)
    string(REPLACE \"/usr/bin/relayaudit\" \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/relayaudit\"
           text \"\${text}\")
    file(WRITE \"${CMAKE_BINARY_DIR}/units/\${unit}\" \"\${text}\")
  endforeach()
  file(INSTALL DESTINATION \"\${CMAKE_INSTALL_PREFIX}/${RELAYAUDIT_UNIT_DIR}\" TYPE FILE
       FILES ${RELAYAUDIT_UNITS_LIST})
")
install(FILES packaging/relayaudit.sysusers DESTINATION ${RELAYAUDIT_SYSUSERS_DIR}
        RENAME relayaudit.conf)

install(FILES README.md docs/design.md docs/writing-rules.md docs/exchange-relay-facts.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/examples DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY samples/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/samples)

# --- Debian package --------------------------------------------------------------------------
# `cpack -G DEB` in a build tree (Release for a small binary; cpack strips it either way).
# The package installs under /usr whatever CMAKE_INSTALL_PREFIX says.
set(CPACK_PACKAGE_NAME relayaudit)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "relayaudit maintainers <relayaudit@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "audit the mail-relay safety of Microsoft Exchange organisations")
set(CPACK_PACKAGE_DESCRIPTION
    "relayaudit reads the relay settings of Exchange SMTP virtual servers, receive connectors and "
    "Exchange 5.5 IMS servers from Active Directory over LDAP, or from LDIF and registry exports, "
    "judges them with rule packs and writes HTML and XML reports. It runs nightly from a hardened "
    "systemd timer and mails the report through the local MTA.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# sendmail for --mail-to; man for the page; systemd for the units and sysusers.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "default-mta | mail-transport-agent, systemd")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "krb5-user, libsasl2-modules-gssapi-mit")
configure_file(packaging/conffiles.in ${CMAKE_BINARY_DIR}/debian/conffiles @ONLY)
configure_file(packaging/postinst.in ${CMAKE_BINARY_DIR}/debian/postinst @ONLY)
configure_file(packaging/postrm.in ${CMAKE_BINARY_DIR}/debian/postrm @ONLY)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${CMAKE_BINARY_DIR}/debian/conffiles;${CMAKE_BINARY_DIR}/debian/postinst;${CMAKE_BINARY_DIR}/debian/postrm")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_GENERATOR DEB)
include(CPack)
