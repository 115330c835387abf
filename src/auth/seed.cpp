// Random seeds and the query-value truth rule.
#include "auth/seed.hpp"

#include <sodium.h>

#include "auth/sodium_init.hpp"
#include "util/base64.hpp"
#include "util/text.hpp"

namespace tagwatch {

std::string random_seed() {
    ensure_sodium();
    unsigned char raw[8];
    randombytes_buf(raw, sizeof raw);
    return base64url_encode(std::string_view(reinterpret_cast<char*>(raw), sizeof raw), false);
}

bool truthy_query_value(std::string_view v) {
    const std::string lower = ascii_lower(v);
    return !(lower.empty() || lower == "false" || lower == "off" || lower == "no" || lower == "n" || lower == "0");
}

}  // namespace tagwatch
