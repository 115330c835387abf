// Small text helpers every layer uses: trimming white space and ASCII-only case folding
// (tags, query values and setting names compare ASCII letters case-insensitively and
// leave every other byte as it is).
#pragma once

#include <string>
#include <string_view>

namespace tagwatch {

// `s` without the ASCII white space (space, \t, \n, \r, \f, \v) at either end.
std::string_view trim(std::string_view s);

// `s` with A-Z turned into a-z (ascii_lower) or a-z into A-Z (ascii_upper); other bytes,
// UTF-8 included, are kept.
std::string ascii_lower(std::string_view s);
std::string ascii_upper(std::string_view s);

// `s` (UTF-8) in lower case as JavaScript's toLowerCase() makes it, which is how TimeTagger's
// client and our web app lowercase tags: Unicode's full mapping without a language (so
// U+0130 becomes "i" and a combining dot), and a capital sigma at the end of a word
// becomes the final sigma. Bytes that are not UTF-8 are kept as they are.
std::string unicode_lower(std::string_view s);

// True when `a` and `b` are equal but for the case of ASCII letters.
bool iequals_ascii(std::string_view a, std::string_view b);

}  // namespace tagwatch
