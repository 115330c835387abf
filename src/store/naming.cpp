// User file naming; see naming.hpp.
#include "store/naming.hpp"

#include "util/base64.hpp"
#include "util/utf8.hpp"

namespace tagwatch {

namespace {

bool clean_char(uint32_t cp) {
    return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') ||
           cp == '-' || cp == '_';
}

}  // namespace

std::string user_filename(std::string_view username) {
    std::string clean;
    for (size_t i = 0; i < username.size();) {
        const uint32_t cp = utf8::next(username, i);
        clean += clean_char(cp) ? static_cast<char>(cp) : '-';
    }
    return clean + "~" + base64url_encode(username, true) + ".db";
}

std::optional<std::string> username_from_filename(std::string_view filename) {
    constexpr std::string_view ext = ".db";
    if (filename.size() < ext.size() || filename.substr(filename.size() - ext.size()) != ext)
        return std::nullopt;
    const auto stem = filename.substr(0, filename.size() - ext.size());
    const size_t tilde = stem.rfind('~');
    if (tilde == std::string_view::npos) return std::nullopt;
    // Only the one spelling user_filename writes: URL-safe alphabet, padded, canonical.
    const std::string_view b64 = stem.substr(tilde + 1);
    auto name = base64_decode(b64);
    if (name && base64url_encode(*name, true) != b64) name.reset();
    if (!name || name->empty() || !valid_utf8(*name)) return std::nullopt;
    if (user_filename(*name) != filename) return std::nullopt;
    return name;
}

}  // namespace tagwatch
