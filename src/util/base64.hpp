// Base64 in the two alphabets tagwatch meets: URL-safe (JWT segments, seeds, keys,
// user file names) and standard (login bodies sent by btoa).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tagwatch {

// URL-safe alphabet ('-' and '_'); with `pad`, '=' up to a multiple of 4.
std::string base64url_encode(std::string_view bytes, bool pad);

// Standard alphabet ('+' and '/'), always padded.
std::string base64_encode(std::string_view bytes);

// Decodes either alphabet (even mixed), with or without padding; surrounding
// whitespace is ignored. Padding, when present, must be complete and only at the
// end. Returns nullopt for anything else (bad characters, impossible length).
// Non-zero leftover bits are tolerated, as Python's b64decode does.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace tagwatch
