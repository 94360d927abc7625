#pragma once
// Active Directory constants the collectors and the snapshot builder share, defined once
// (docs/exchange-relay-facts.md sections 1 and 5).
#include <cstdint>

namespace relayaudit {

// The Guest account is RID 501 in every domain; it can be renamed, so it is found by SID.
inline constexpr std::uint32_t kGuestRelativeId = 501;
// crossRef systemFlags bit: the naming context is a domain partition (FLAG_CR_NTDS_DOMAIN).
inline constexpr std::int64_t kCrossRefDomainPartition = 0x2;
// userAccountControl ACCOUNTDISABLE.
inline constexpr std::int64_t kAccountDisabled = 0x2;

} // namespace relayaudit
