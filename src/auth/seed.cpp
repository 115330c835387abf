// Random seeds and the query-value truth rule.
#include "auth/seed.hpp"

#include <sodium.h>

#include "auth/sodium_init.hpp"
#include "util/base64.hpp"
#include "util/text.hpp"

namespace tagwatch {

std::string random_seed() { return random_text(8); }

std::string random_text(size_t bytes) {
    ensure_sodium();
    std::string raw(bytes, '\0');
    randombytes_buf(raw.data(), raw.size());
    std::string text = base64url_encode(raw, false);
    sodium_memzero(raw.data(), raw.size());
    return text;
}

bool same_secret(std::string_view a, std::string_view b) {
    ensure_sodium();
    return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool truthy_query_value(std::string_view v) {
    const std::string lower = ascii_lower(v);
    return !(lower.empty() || lower == "false" || lower == "off" || lower == "no" || lower == "n" ||
             lower == "0");
}

}  // namespace tagwatch
