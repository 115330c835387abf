// Random seeds and the query-value truth rule.
#include "auth/seed.hpp"

#include <sodium.h>

#include "auth/base64.hpp"
#include "auth/sodium_init.hpp"

namespace tagwatch {

std::string random_seed() {
    ensure_sodium();
    unsigned char raw[8];
    randombytes_buf(raw, sizeof raw);
    return base64url_encode(std::string_view(reinterpret_cast<char*>(raw), sizeof raw), false);
}

bool truthy_query_value(std::string_view v) {
    std::string lower;
    for (const char c : v) lower += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    return !(lower.empty() || lower == "false" || lower == "off" || lower == "no" || lower == "n" || lower == "0");
}

}  // namespace tagwatch
