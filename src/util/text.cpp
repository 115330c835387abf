// Trimming and ASCII case folding; see text.hpp.
#include "util/text.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "util/utf8.hpp"

namespace tagwatch {

namespace {

// The length of the white space (as Python's str.isspace() sees it) that starts `s`, or 0.
size_t space_at(std::string_view s) {
    if (s.empty()) return 0;
    const auto c = static_cast<unsigned char>(s[0]);
    if (c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f)) return 1;
    if (c < 0x80) return 0;
    for (std::string_view u : {"\u0085", "\u00a0", "\u1680", "\u2000", "\u2001", "\u2002", "\u2003",
                               "\u2004", "\u2005", "\u2006", "\u2007", "\u2008", "\u2009", "\u200a",
                               "\u2028", "\u2029", "\u202f", "\u205f", "\u3000"})
        if (s.substr(0, u.size()) == u) return u.size();
    return 0;
}

// The same at the end of `s`.
size_t space_before_end(std::string_view s) {
    for (size_t n = 1; n <= 3 && n <= s.size(); ++n)
        if (space_at(s.substr(s.size() - n)) == n) return n;
    return 0;
}

char lower_char(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

char upper_char(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

struct LowerRun {
    uint32_t first, last;
    int32_t delta;
    uint32_t step;
};
struct LowerSpecial {
    uint32_t cp;
    uint32_t lower[2];
};
struct CodeRange {
    uint32_t first, last;
};
#include "util/lowercase.inc"

template <size_t N>
bool in_ranges(const CodeRange (&ranges)[N], uint32_t cp) {
    const auto* it = std::upper_bound(std::begin(ranges), std::end(ranges), cp,
                                      [](uint32_t v, const CodeRange& r) { return v < r.first; });
    return it != std::begin(ranges) && cp <= (it - 1)->last;
}

uint32_t simple_lower(uint32_t cp) {
    const auto* it = std::upper_bound(std::begin(kLowerRuns), std::end(kLowerRuns), cp,
                                      [](uint32_t v, const LowerRun& r) { return v < r.first; });
    if (it == std::begin(kLowerRuns)) return cp;
    --it;
    if (cp > it->last || (cp - it->first) % it->step != 0) return cp;
    return static_cast<uint32_t>(static_cast<int32_t>(cp) + it->delta);
}

constexpr uint32_t kNotUtf8 = 0xFFFFFFFF;  // a byte that does not start a UTF-8 sequence
constexpr uint32_t kCapitalSigma = 0x3A3, kSmallSigma = 0x3C3, kFinalSigma = 0x3C2;

// Unicode's Final_Sigma condition for the capital sigma at cps[at]: a cased letter before
// it and none after it, case-ignorable characters (apostrophes, combining marks) skipped.
bool final_sigma(const std::vector<uint32_t>& cps, size_t at) {
    auto cased = [](uint32_t cp) { return cp != kNotUtf8 && in_ranges(kCased, cp); };
    auto ignorable = [](uint32_t cp) { return cp != kNotUtf8 && in_ranges(kCaseIgnorable, cp); };
    size_t i = at;
    while (i > 0 && ignorable(cps[i - 1])) --i;
    if (i == 0 || !cased(cps[i - 1])) return false;
    size_t j = at + 1;
    while (j < cps.size() && ignorable(cps[j])) ++j;
    return j == cps.size() || !cased(cps[j]);
}

}  // namespace

std::string_view trim(std::string_view s) {
    while (size_t n = space_at(s)) s.remove_prefix(n);
    while (size_t n = space_before_end(s)) s.remove_suffix(n);
    return s;
}

std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = lower_char(c);
    return out;
}

std::string ascii_upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = upper_char(c);
    return out;
}

std::string unicode_lower(std::string_view s) {
    std::vector<uint32_t> cps;
    cps.reserve(s.size());
    bool ascii = true;
    for (size_t i = 0; i < s.size();) {
        const size_t at = i;
        const uint32_t cp = utf8::next(s, i);
        cps.push_back(cp >= 0x80 && i == at + 1 ? kNotUtf8 : cp);
        ascii = ascii && cp < 0x80;
    }
    if (ascii) return ascii_lower(s);
    std::string out;
    out.reserve(s.size());
    size_t byte = 0;  // where cps[k] starts in s
    for (size_t k = 0; k < cps.size(); ++k) {
        const uint32_t cp = cps[k];
        if (cp == kNotUtf8) {
            out += s[byte++];
            continue;
        }
        byte += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        if (cp == kCapitalSigma) {
            utf8::append(out, final_sigma(cps, k) ? kFinalSigma : kSmallSigma);
            continue;
        }
        const auto* special = std::find_if(std::begin(kLowerSpecial), std::end(kLowerSpecial),
                                           [cp](const LowerSpecial& m) { return m.cp == cp; });
        if (special != std::end(kLowerSpecial)) {
            for (const uint32_t c : special->lower)
                if (c) utf8::append(out, c);
            continue;
        }
        utf8::append(out, simple_lower(cp));
    }
    return out;
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool iequals_ascii(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (lower_char(a[i]) != lower_char(b[i])) return false;
    return true;
}

}  // namespace tagwatch
