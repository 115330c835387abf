// IP address and CIDR matching on inet_pton, IPv4 folded into IPv6 (::ffff:0:0/96).
#include "auth/net.hpp"

#include <arpa/inet.h>

#include <array>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace tagwatch {

namespace {

using Address = std::array<unsigned char, 16>;

struct Range {
    Address base;
    int prefix;  // 0..128, in IPv6 terms
};

std::optional<Address> parse_address(std::string_view text, bool* was_v4 = nullptr) {
    if (text.empty() || text.size() > 64) return std::nullopt;
    const std::string s(text);
    Address a{};
    if (::inet_pton(AF_INET, s.c_str(), a.data() + 12) == 1) {
        a[10] = a[11] = 0xFF;
        if (was_v4) *was_v4 = true;
        return a;
    }
    if (::inet_pton(AF_INET6, s.c_str(), a.data()) == 1) {
        if (was_v4) *was_v4 = false;
        return a;
    }
    return std::nullopt;
}

std::optional<Range> parse_range(std::string_view entry) {
    const size_t slash = entry.find('/');
    bool v4 = false;
    const auto base = parse_address(entry.substr(0, slash), &v4);
    if (!base) return std::nullopt;
    const int max = v4 ? 32 : 128;
    int prefix = max;
    if (slash != std::string_view::npos) {
        const std::string_view digits = entry.substr(slash + 1);
        if (digits.empty() || digits.size() > 3) return std::nullopt;
        prefix = 0;
        for (const char c : digits) {
            if (c < '0' || c > '9') return std::nullopt;
            prefix = prefix * 10 + (c - '0');
        }
        if (prefix > max) return std::nullopt;
    }
    return Range{*base, v4 ? prefix + 96 : prefix};
}

bool in_range(const Address& a, const Range& r) {
    int bits = r.prefix;
    for (size_t i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
        const unsigned mask = bits >= 8 ? 0xFFu : (0xFFu << (8 - bits)) & 0xFFu;
        if ((a[i] & mask) != (r.base[i] & mask)) return false;
    }
    return true;
}

std::vector<std::string_view> split_list(std::string_view list) {
    std::vector<std::string_view> out;
    size_t i = 0;
    const auto sep = [](char c) {
        return c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
    };
    while (i < list.size()) {
        while (i < list.size() && sep(list[i])) ++i;
        const size_t start = i;
        while (i < list.size() && !sep(list[i])) ++i;
        if (i > start) out.push_back(list.substr(start, i - start));
    }
    return out;
}

}  // namespace

bool address_in_list(std::string_view address, std::string_view list) {
    const auto a = parse_address(address);
    if (!a) return false;
    for (const auto entry : split_list(list)) {
        const auto r = parse_range(entry);
        if (r && in_range(*a, *r)) return true;
    }
    return false;
}

void validate_address_list(std::string_view list) {
    for (const auto entry : split_list(list))
        if (!parse_range(entry))
            throw std::invalid_argument("'" + std::string(entry) +
                                        "' is not an IP address or CIDR range");
}

bool is_loopback(std::string_view address) { return address_in_list(address, "127.0.0.0/8 ::1"); }

}  // namespace tagwatch
