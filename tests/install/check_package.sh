#!/usr/bin/env bash
# cpack -G DEB from this build tree, then what an administrator would get: contents, Depends
# (dpkg-shlibdeps), conffiles; installed with dpkg into a throwaway root (maintainer scripts run
# chrootless against that root); the installed binary runs and the man page renders.
#   check_package.sh BUILD_DIR
set -euo pipefail
build=$1
fail() { echo "FAIL: $*" >&2; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/out" > "$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log" >&2; fail "cpack failed"; }
deb=$(ls "$work"/out/*.deb) || fail "no .deb"
echo "package: $(basename "$deb")"
dpkg-deb -c "$deb" | awk '{print $6}' > "$work/contents"
for path in ./usr/bin/relayaudit ./usr/share/man/man1/relayaudit.1 \
    ./usr/share/relayaudit/schemas/report.xsd ./usr/share/relayaudit/schemas/snapshot.xsd \
    ./usr/share/relayaudit/schemas/rules.xsd ./etc/relayaudit/relayaudit.conf.sample \
    ./usr/lib/systemd/system/relayaudit.service ./usr/lib/systemd/system/relayaudit.timer \
    ./usr/lib/systemd/system/relayaudit-kerberos.service \
    ./usr/lib/systemd/system/relayaudit-mail.service ./usr/lib/sysusers.d/relayaudit.conf \
    ./usr/share/doc/relayaudit/README.md ./usr/share/doc/relayaudit/samples/relayaudit.conf \
    ./usr/share/doc/relayaudit/samples/corp-config.ldif; do
  grep -qx "$path" "$work/contents" || fail "$path is not in the package"
done
grep -q '^\./etc/relayaudit/relayaudit\.conf$' "$work/contents" && fail "the live config must not be shipped"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for library in libldap libboost-program-options libpugixml libnettle libc6 libstdc++6; do
  [[ $depends == *"$library"* ]] || fail "Depends lacks $library (dpkg-shlibdeps)"
done
dpkg-deb -I "$deb" conffiles | grep -qx /etc/relayaudit/relayaudit.conf.sample ||
  fail "relayaudit.conf.sample is not a conffile"
dpkg-deb -I "$deb" postinst | grep -q systemd-sysusers || fail "postinst does not create the user"
# Install into a throwaway root: no chroot needed, the scripts act on DPKG_ROOT.
root=$work/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/etc"
touch "$root/var/lib/dpkg/status"
dpkg --root="$root" --force-script-chrootless --force-depends -i "$deb" > "$work/dpkg.log" 2>&1 ||
  { cat "$work/dpkg.log" >&2; fail "dpkg -i into a throwaway root failed"; }
grep -q '^relayaudit:' "$root/etc/passwd" || fail "postinst made no relayaudit user in the root"
"$root/usr/bin/relayaudit" --version | grep -q '^relayaudit ' || fail "installed binary does not run"
readelf -S "$root/usr/bin/relayaudit" | grep -q '\.debug_info' && fail "installed binary is not stripped"
grep -q '^ExecStart=/usr/bin/relayaudit ' "$root/usr/lib/systemd/system/relayaudit.service" ||
  fail "the installed unit does not run /usr/bin/relayaudit"
MANWIDTH=80 man -l "$root/usr/share/man/man1/relayaudit.1" 2>/dev/null | grep -q ENVIRONMENT ||
  fail "man -l of the installed page shows no ENVIRONMENT section"
echo "PASS"
