#include "html_labels.h"

namespace relayaudit {

const char* severityLabel(Severity severity) {
    switch (severity) {
    case Severity::Critical:
        return "Critical";
    case Severity::Error:
        return "Error";
    case Severity::Warning:
        return "Warning";
    case Severity::NonDefault:
        return "Non-default";
    case Severity::Info:
        return "Info";
    }
    return "Info";
}

const char* kindLabel(RuleKind kind) {
    switch (kind) {
    case RuleKind::Unsafe:
        return "unsafe";
    case RuleKind::NonDefault:
        return "non-default configuration";
    case RuleKind::CannotJudge:
        return "could not judge";
    case RuleKind::Info:
        return "information";
    case RuleKind::Manual:
        return "manual check";
    }
    return "unsafe";
}

} // namespace relayaudit
