// Tag parsing and the tag and hidden filters; see tags.hpp for the rules.
#include "model/tags.hpp"

#include <algorithm>

#include "util/text.hpp"
#include "util/utf8.hpp"

namespace tagwatch {

namespace {

// A byte of a tag after its '#': ASCII letters, digits, '-', '_', '/', and every byte of a
// non-ASCII character (TimeTagger takes every UTF-16 code unit above 127).
bool is_tag_byte(char c) {
    const auto b = static_cast<unsigned char>(c);
    return (b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || b == '-' ||
           b == '_' || b == '/' || b >= 0x80;
}

// The UTF-16 code units of `s`, the order JavaScript's sort() compares strings in (it
// differs from UTF-8's byte order where characters above U+FFFF meet U+E000..U+FFFF).
std::u16string utf16(std::string_view s) {
    std::u16string out;
    for (size_t i = 0; i < s.size();) {
        const uint32_t cp = utf8::next(s, i);
        if (cp < 0x10000) {
            out += static_cast<char16_t>(cp);
        } else {
            out += static_cast<char16_t>(0xD800 + ((cp - 0x10000) >> 10));
            out += static_cast<char16_t>(0xDC00 + ((cp - 0x10000) & 0x3FF));
        }
    }
    return out;
}

}  // namespace

std::vector<std::string> ds_tags(std::string_view ds) {
    std::vector<std::string> tags;
    constexpr size_t kNone = std::string_view::npos;
    size_t start = kNone;  // where the '#' of the tag being read is
    for (size_t i = 0; i <= ds.size(); ++i) {
        const char c = i < ds.size() ? ds[i] : '#';  // a '#' past the end ends the last tag
        if (start == kNone) {
            if (c == '#') start = i;
        } else if (!is_tag_byte(c)) {
            if (i - start > 1) tags.push_back(unicode_lower(ds.substr(start, i - start)));
            start = c == '#' ? i : kNone;
        }
    }
    std::sort(tags.begin(), tags.end(),
              [](const std::string& a, const std::string& b) { return utf16(a) < utf16(b); });
    tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
    if (tags.empty()) tags.emplace_back("#untagged");
    return tags;
}

bool ds_is_deleted(std::string_view ds) { return ds.substr(0, 6) == "HIDDEN"; }

bool ds_has_tag(std::string_view ds, std::string_view tag) {
    if (!tag.empty() && tag.front() == '#') tag.remove_prefix(1);
    if (tag.empty()) return true;
    for (size_t pos = ds.find('#'); pos != std::string_view::npos; pos = ds.find('#', pos + 1)) {
        const size_t end = pos + 1 + tag.size();
        if (end > ds.size()) break;
        if (iequals_ascii(ds.substr(pos + 1, tag.size()), tag) &&
            (end == ds.size() || ds[end] == ' '))
            return true;
    }
    return false;
}

bool ds_is_hidden(std::string_view ds) {
    return ds.size() >= 6 && iequals_ascii(ds.substr(0, 6), "HIDDEN");
}

}  // namespace tagwatch
