// Token seeds (the per-user random value whose change revokes tokens) and the
// truth rule for query values like ?reset=1.
#pragma once

#include <string>
#include <string_view>

namespace tagwatch {

// 8 random bytes as base64url without padding: 11 characters, like TimeTagger's.
std::string random_seed();

// `bytes` random bytes (libsodium's random) as base64url without padding: the ids and
// secrets of share links (16 and 32 bytes: unguessable).
std::string random_text(size_t bytes);

// True when a and b are equal, compared in constant time for equal lengths.
bool same_secret(std::string_view a, std::string_view b);

// False for "", "false", "off", "no", "n", "0" (ASCII case-insensitive), true for
// anything else. Callers that treat "" as "no filter" check for it first.
bool truthy_query_value(std::string_view v);

}  // namespace tagwatch
