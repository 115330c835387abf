// Small text helpers every layer uses: trimming white space and ASCII-only case folding
// (tags, query values and setting names compare ASCII letters case-insensitively and
// leave every other byte as it is).
#pragma once

#include <string>
#include <string_view>

namespace tagwatch {

// `s` without the white space at either end, as Python's str.strip() sees white space, since
// TimeTagger strips so (query values, user names, passwords, its key file): ASCII \t \n \v
// \f \r, space and 0x1C..0x1F, and the Unicode spaces U+0085, U+00A0, U+1680, U+2000..U+200A,
// U+2028, U+2029, U+202F, U+205F and U+3000 in UTF-8.
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

// The value of a hexadecimal digit (0-9, a-f, A-F), or -1 for any other character.
int hex_digit(char c);

// True when `a` and `b` are equal but for the case of ASCII letters.
bool iequals_ascii(std::string_view a, std::string_view b);

}  // namespace tagwatch
