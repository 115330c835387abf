// UTF-8 helpers for user names, token claims and login bodies: strict validation
// (no overlongs, no surrogates, nothing past U+10FFFF) and the Latin-1 fallback
// that TimeTagger's btoa-encoded login page needs.
#pragma once

#include <string>
#include <string_view>

namespace tagwatch {

// True when `text` is well-formed UTF-8 (RFC 3629).
bool valid_utf8(std::string_view text);

// Reads every byte as a Latin-1 character and returns it as UTF-8.
std::string latin1_to_utf8(std::string_view bytes);

}  // namespace tagwatch
