// UTF-8, once for every layer: strict validation (RFC 3629: no overlongs, no surrogates,
// nothing past U+10FFFF), the Latin-1 reading of bytes that are not UTF-8 (TimeTagger's
// login page encodes with btoa), and decoding for counting code points (TimeTagger limits
// strings by Python's len()) and for escaping.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tagwatch {

// True when `text` is well-formed UTF-8.
bool valid_utf8(std::string_view text);

// Reads every byte as a Latin-1 character and returns it as UTF-8.
std::string latin1_to_utf8(std::string_view bytes);

}  // namespace tagwatch

namespace tagwatch::utf8 {

// Decodes the code point starting at s[i] and advances i. Invalid or truncated
// sequences yield the single byte's value (as Latin-1) so that counting and
// escaping never fail and never loop forever.
inline uint32_t next(std::string_view s, size_t& i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
        ++i;
        return b0;
    }
    int len = 0;
    uint32_t cp = 0;
    uint32_t min = 0;
    if ((b0 & 0xE0) == 0xC0) {
        len = 2, cp = b0 & 0x1F, min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3, cp = b0 & 0x0F, min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4, cp = b0 & 0x07, min = 0x10000;
    } else {
        ++i;
        return b0;
    }
    if (i + len > s.size()) {
        ++i;
        return b0;
    }
    for (int k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) {
            ++i;
            return b0;
        }
        cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        ++i;
        return b0;
    }
    i += len;
    return cp;
}

// Appends code point `cp` (at most U+10FFFF) to `out` in UTF-8.
inline void append(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Number of code points (Python's len() of the decoded string).
inline size_t length(std::string_view s) {
    size_t n = 0;
    for (size_t i = 0; i < s.size(); ++n) next(s, i);
    return n;
}

// Byte offset of the end of the first `count` code points (for truncating messages).
inline size_t prefix_bytes(std::string_view s, size_t count) {
    size_t i = 0;
    for (size_t n = 0; n < count && i < s.size(); ++n) next(s, i);
    return i;
}

}  // namespace tagwatch::utf8
