#pragma once
// <ldap.h> for the collector. Included through here because <ldap.h> includes <string.h>, which
// (glibc, _GNU_SOURCE) includes <strings.h>, and the include path finds base's "strings.h"
// before the system one: loaded first here, its include guard makes that nested include a no-op
// instead of compiling our C++ header inside string.h's extern "C" block. Drop this header once
// base's strings.h has a name of its own.
#include "strings.h"

#include <ldap.h>
